"""The kernel's small helpers that every app shares (core/)."""

import hashlib

from django.core.files.uploadedfile import SimpleUploadedFile

from core.hashing import sha256_hex


def test_one_sha256_for_bytes_text_and_uploads_that_leaves_an_upload_at_its_start():
    content = "Verslag stuurgroep, financiën".encode() * 10_000
    expected = hashlib.sha256(content).hexdigest()
    upload = SimpleUploadedFile("verslag.pdf", content)
    upload.read(100)
    assert sha256_hex(content) == sha256_hex(content.decode()) == sha256_hex(upload) == expected
    assert upload.read(3) == content[:3]
