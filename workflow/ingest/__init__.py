"""Turning what editors paste (text, Markdown, HTML, a web page, a news-page copy) into blocks."""
