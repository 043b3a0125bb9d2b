import streamlit as st

st.write("from hello.py")
