"""Small valid upload bodies (type is sniffed from content)."""

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
