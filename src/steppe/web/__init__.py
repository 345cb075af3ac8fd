"""The web portal (server-rendered pages in en/ru/kk) and printable PDF profiles."""
