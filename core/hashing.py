"""The one SHA-256 helper: of bytes, of text (UTF-8), or of an uploaded file read in chunks.
Stored documents, rendered reports, exports and snapshots are all fingerprinted with it."""

import hashlib

__all__ = ["sha256_hex"]


def sha256_hex(content) -> str:
    """Hex SHA-256 of bytes, a str (as UTF-8), or a Django File/UploadedFile (read in chunks
    from the start, and left at the start for whoever reads it next)."""
    if isinstance(content, str):
        content = content.encode()
    if isinstance(content, bytes | bytearray | memoryview):
        return hashlib.sha256(content).hexdigest()
    digest = hashlib.sha256()
    content.seek(0)
    for chunk in content.chunks():
        digest.update(chunk)
    content.seek(0)
    return digest.hexdigest()
