"""Links that open an app in stlite sharing (https://share.stlite.net).

The payload is stlite sharing's own format: a protobuf ``AppData`` message
(``string entrypoint = 1; map<string, File> files = 2; repeated string
requirements = 3``, ``File { oneof content { string text = 1; bytes data = 2 } }``),
files sorted by path, base64url-encoded with ``=`` written as ``,``. A few lines
of protobuf wire encoding here avoid a protobuf runtime dependency.
"""

from __future__ import annotations

import base64

from .app import AppSpec

SHARE_BASE = "https://share.stlite.net/#!"
EDIT_BASE = "https://edit.share.stlite.net/#!"


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _field(number: int, payload: bytes) -> bytes:
    """A length-delimited field (wire type 2): strings, bytes, messages."""
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


def encode_app_data(spec: AppSpec) -> bytes:
    """The app as it runs: hidden setup code included (the link must run the app)."""
    out = bytearray(_field(1, spec.entrypoint.encode("utf-8")))
    for path, content in sorted(spec.run_files()):
        file_msg = (
            _field(1, content.encode("utf-8")) if isinstance(content, str) else _field(2, content)
        )
        entry = _field(1, path.encode("utf-8")) + _field(2, file_msg)
        out += _field(2, entry)
    for requirement in spec.requirements:
        out += _field(3, requirement.encode("utf-8"))
    return bytes(out)


def share_payload(spec: AppSpec) -> str:
    """The link's fragment: append it to ``SHARE_BASE`` (run) or ``EDIT_BASE`` (edit)."""
    return base64.urlsafe_b64encode(encode_app_data(spec)).decode("ascii").replace("=", ",")
