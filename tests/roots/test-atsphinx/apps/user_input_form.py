import streamlit as st

with st.form("greet"):
    name = st.text_input("Your name")
    submitted = st.form_submit_button("Greet")
st.write(f"Hello, {name or 'World'}! form={submitted}")
