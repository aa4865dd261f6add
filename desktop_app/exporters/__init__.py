"""Domain -> file: Word report, Excel, PDF, JSON."""
