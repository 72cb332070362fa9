"""Figures and issues to an Excel summary with openpyxl; pure apart from writing the file."""
