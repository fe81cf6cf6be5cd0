"""Reports: figures in house style, safe tables, HTML rendering and the index page."""
