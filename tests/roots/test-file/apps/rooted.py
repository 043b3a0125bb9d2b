import streamlit as st

st.write("from rooted.py")
