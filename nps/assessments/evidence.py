"""Evidence files: checked on the way in (type, size, content) and served only to people who may see the return."""

from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.text import get_valid_filename

from nps.accounts.models import User
from nps.assessments.answers import require_editable
from nps.assessments.models import Answer, EvidenceFile
from nps.core.models import record

ZIP = b"PK\x03\x04"


@dataclass(frozen=True)
class FileType:
    content_type: str
    signatures: tuple[bytes, ...]  # how the file must begin; empty for plain text


FILE_TYPES = {
    "pdf": FileType("application/pdf", (b"%PDF-",)),
    "docx": FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (ZIP,)),
    "xlsx": FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (ZIP,)),
    "pptx": FileType("application/vnd.openxmlformats-officedocument.presentationml.presentation", (ZIP,)),
    "odt": FileType("application/vnd.oasis.opendocument.text", (ZIP,)),
    "ods": FileType("application/vnd.oasis.opendocument.spreadsheet", (ZIP,)),
    "png": FileType("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": FileType("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": FileType("image/jpeg", (b"\xff\xd8\xff",)),
    "csv": FileType("text/csv", ()),
    "txt": FileType("text/plain", ()),
}
ALLOWED = ", ".join(sorted(FILE_TYPES))


def check_evidence_file(upload: UploadedFile) -> FileType:
    """The file's type, or a ValidationError saying exactly what is wrong with it."""
    limit = settings.EVIDENCE_MAX_BYTES
    if upload.size and upload.size > limit:
        raise ValidationError(f"The file must be smaller than {limit // (1024 * 1024)} MB")
    if not upload.size:
        raise ValidationError("The selected file is empty")
    extension = PurePath(upload.name or "").suffix.lower().lstrip(".")
    file_type = FILE_TYPES.get(extension)
    if file_type is None:
        raise ValidationError(f"The file must be one of: {ALLOWED}")
    head = upload.read(8)
    upload.seek(0)
    if file_type.signatures and not any(head.startswith(signature) for signature in file_type.signatures):
        raise ValidationError(f"The file’s content is not a real .{extension} file")
    if not file_type.signatures and b"\x00" in upload.read(4096):
        raise ValidationError(f"The file’s content is not plain text, so it cannot be a .{extension} file")
    upload.seek(0)
    return file_type


@transaction.atomic
def attach_evidence(answer: Answer, upload: UploadedFile, *, by: User) -> EvidenceFile:
    require_editable(answer.council_return)
    file_type = check_evidence_file(upload)
    name = get_valid_filename(PurePath(upload.name or "evidence").name)[:200]
    evidence = EvidenceFile(
        answer=answer, name=name, content_type=file_type.content_type, size=upload.size or 0, uploaded_by=by
    )
    evidence.file.save(name, upload, save=False)
    try:
        evidence.save()
        record(
            "evidence_added",
            f"Added evidence “{name}” to {answer.index.title}",
            by=by,
            organisation=answer.council_return.organisation,
        )
    except BaseException:
        evidence.file.storage.delete(str(evidence.file.name))  # the rows roll back, so the file goes too
        raise
    return evidence


@transaction.atomic
def remove_evidence(evidence: EvidenceFile, *, by: User) -> None:
    require_editable(evidence.answer.council_return)
    record(
        "evidence_removed",
        f"Removed evidence “{evidence.name}” from {evidence.answer.index.title}",
        by=by,
        organisation=evidence.answer.council_return.organisation,
    )
    storage, stored = evidence.file.storage, str(evidence.file.name)
    evidence.delete()
    transaction.on_commit(lambda: storage.delete(stored))  # the file goes only once its row has
