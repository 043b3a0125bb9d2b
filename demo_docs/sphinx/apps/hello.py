import streamlit as st

st.write("This app's source is the file apps/hello.py of the docs.")
st.write(st.text_input("Say something", "hello") * 2)
