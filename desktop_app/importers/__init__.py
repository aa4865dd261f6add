"""File -> domain draft: Word tables, Excel sheets, prose notices, our own JSON."""
