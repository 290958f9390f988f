"""Documents: download the files of the mirror (fetch) and turn them into text and HTML (convert)."""

# the ``method`` of a conversion whose text was read from page images by OCR (tesseract)
OCR_METHOD = "ocr-tesseract"
