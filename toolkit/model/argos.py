"""Argos Translate ar→en packages as toolkit models (`toolkit model import`).

A package is a zip (`.argosmodel`) of one folder, or that folder unzipped (as Argos installs
it under ~/.local/share/argos-translate/packages/): `metadata.json` (from_code, to_code,
package_version, …), `model/` (a CTranslate2 model), `sentencepiece.model` (one tokenizer
for both sides) and optionally `stanza/` (sentence splitting) and `README.md`.

Import copies what the toolkit uses into a model folder of our layout — model/'s files at
the top, sentencepiece.model, the package's metadata.json — and writes toolkit-model.json
(source "argos", package name and version, model sha256). stanza/ is left behind: the
toolkit splits sentences itself. Zip members are checked before anything is written: no
absolute paths, no `..`, no links, at most MAX_MEMBERS members and MAX_PACKAGE_BYTES
uncompressed as their headers declare (zipfile never inflates a member past its declared
size, and checks its CRC).
"""

import json
import os
import shutil
import stat
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from toolkit.errors import ConfigError
from toolkit.fsutil import FILE_MODE, replace_dir, staged_dir
from toolkit.model.store import SHARED_SPM, ModelInfo

METADATA = "metadata.json"
MODEL_FOLDER = "model"
MAX_PACKAGE_BYTES = 2 << 30
MAX_MEMBERS = 10_000
QUANTIZATION = "as packaged"  # a CTranslate2 model.bin does not say it in a readable place


@dataclass(frozen=True)
class PackageMetadata:
    from_code: str
    to_code: str
    package_version: str
    synthetic: bool  # only the toolkit's own `model synth --format argos` packages say so
    shape: str | None

    @classmethod
    def read(cls, path: Path, where: str) -> "PackageMetadata":
        try:
            data = json.loads(path.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError, ValueError) as error:
            raise ConfigError(f"{where}: unreadable {METADATA} ({error})") from error
        if not isinstance(data, dict):
            raise ConfigError(f"{where}: {METADATA} is not a JSON object")
        if data.get("target_prefix"):
            raise ConfigError(f"{where}: packages with a target_prefix are not supported")
        synthetic = data.get("synthetic") is True
        return cls(
            from_code=str(data.get("from_code")),
            to_code=str(data.get("to_code")),
            package_version=str(data.get("package_version", "")),
            synthetic=synthetic,
            shape=str(data["shape"]) if synthetic and data.get("shape") else None,
        )


def import_package(package: Path, output: Path) -> ModelInfo:
    """Check an Argos ar→en package and copy it into `output` (replaced only when complete)."""
    package, output = Path(package), Path(output)
    if not package.exists():
        raise ConfigError(f"{package}: no such file or folder")
    if output.resolve() == package.resolve() or output.resolve() in package.resolve().parents:
        raise ConfigError(f"-o {output} would replace the package {package}: choose another")
    with staged_dir(output) as staging:
        if package.is_dir():
            _copy_folder(_package_root(package, package), staging)
        elif zipfile.is_zipfile(package):
            _extract_zip(package, staging)
        else:
            raise ConfigError(f"{package}: not an Argos package (neither a zip nor a folder)")
        metadata = PackageMetadata.read(staging / METADATA, str(package))
        if (metadata.from_code, metadata.to_code) != ("ar", "en"):
            raise ConfigError(
                f"{package}: a {metadata.from_code}→{metadata.to_code} package, not ar→en"
            )
        _flatten_model(staging, str(package))
        _check_loads(staging, str(package))
        info = ModelInfo.describe(
            staging,
            name=output.name,
            source="argos",
            revision=None,
            quantization=QUANTIZATION,
            synthetic=metadata.synthetic,
            shape=metadata.shape,
            package=package.name,
            package_version=metadata.package_version,
        )
        info.write(staging)
    return info


def _wanted(relative: PurePosixPath) -> bool:
    """The parts of a package the toolkit keeps."""
    if relative.parts[0] == MODEL_FOLDER:
        return True
    return len(relative.parts) == 1 and relative.name in (METADATA, SHARED_SPM)


def _package_root(folder: Path, package: Path) -> Path:
    """The folder holding metadata.json: `folder` itself or its one sub-folder."""
    if (folder / METADATA).is_file():
        return folder
    inner = [d for d in folder.iterdir() if d.is_dir() and (d / METADATA).is_file()]
    if len(inner) != 1:
        raise ConfigError(f"{package}: not an Argos package (no {METADATA} at its top)")
    return inner[0]


def _copy_folder(root: Path, staging: Path) -> None:
    for path in sorted(root.rglob("*")):
        relative = PurePosixPath(path.relative_to(root).as_posix())
        if path.is_file() and _wanted(relative):
            target = staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)


def _member_problem(info: zipfile.ZipInfo) -> str | None:
    name = info.filename
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        return "an absolute path"
    if "\\" in name or ".." in PurePosixPath(name).parts:
        return "a path outside the package"
    if stat.S_ISLNK(info.external_attr >> 16):
        return "a symbolic link"
    return None


def _extract_zip(package: Path, staging: Path) -> None:
    """Check every member, then extract the wanted ones under their common top folder."""
    try:
        with zipfile.ZipFile(package) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                raise ConfigError(f"{package}: more than {MAX_MEMBERS} members")
            for info in members:
                problem = _member_problem(info)
                if problem is not None:
                    raise ConfigError(f"{package}: member {info.filename!r} is {problem}")
            if sum(info.file_size for info in members) > MAX_PACKAGE_BYTES:
                raise ConfigError(f"{package}: larger than {MAX_PACKAGE_BYTES} bytes unzipped")
            tops = [
                PurePosixPath(info.filename).parent
                for info in members
                if PurePosixPath(info.filename).name == METADATA
                and len(PurePosixPath(info.filename).parts) <= 2
            ]
            if len(tops) != 1:
                raise ConfigError(f"{package}: not an Argos package (no {METADATA} at its top)")
            for info in members:
                path = PurePosixPath(info.filename)
                if info.is_dir() or not path.is_relative_to(tops[0]):
                    continue
                relative = path.relative_to(tops[0])
                if _wanted(relative):
                    target = staging / relative
                    target.parent.mkdir(parents=True, exist_ok=True)
                    # zipfile stops at the size the header declares and checks the CRC
                    with archive.open(info) as source, open(target, "wb") as sink:
                        shutil.copyfileobj(source, sink, 1 << 20)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as error:
        raise ConfigError(f"{package}: damaged package ({error})") from error


def _flatten_model(staging: Path, where: str) -> None:
    """model/'s files move to the top, beside sentencepiece.model and metadata.json."""
    model = staging / MODEL_FOLDER
    missing = [
        name
        for name in (f"{MODEL_FOLDER}/model.bin", f"{MODEL_FOLDER}/config.json", SHARED_SPM)
        if not (staging / name).is_file()
    ]
    if missing:
        raise ConfigError(f"{where}: incomplete Argos package (missing {', '.join(missing)})")
    for path in model.iterdir():
        if (staging / path.name).exists():
            raise ConfigError(f"{where}: {MODEL_FOLDER}/{path.name} clashes with {path.name}")
        os.replace(path, staging / path.name)
    model.rmdir()


def _check_loads(staging: Path, where: str) -> None:
    import ctranslate2
    import sentencepiece as spm

    try:
        ctranslate2.Translator(str(staging), device="cpu", intra_threads=1)
        spm.SentencePieceProcessor(model_file=str(staging / SHARED_SPM))
    except (RuntimeError, OSError, ValueError) as error:
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise ConfigError(f"{where}: the model in the package does not load ({message})") from error


def write_package(model_dir: Path, sentencepiece: Path, output: Path, metadata: dict) -> None:
    """An Argos package of a CTranslate2 model folder and its one SentencePiece model: a
    folder, or a zip if `output` ends in .argosmodel (everything under one top folder named
    after it, as Argos packages are).
    """
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".argos-", dir=output.parent) as scratch:
        root = Path(scratch) / output.stem
        (root / MODEL_FOLDER).mkdir(parents=True)
        for name in ("model.bin", "config.json", "shared_vocabulary.json"):
            shutil.copyfile(Path(model_dir) / name, root / MODEL_FOLDER / name)
        shutil.copyfile(sentencepiece, root / SHARED_SPM)
        text = json.dumps(metadata, indent=2, ensure_ascii=False) + "\n"
        (root / METADATA).write_text(text, encoding="utf-8")
        if output.suffix != ".argosmodel":
            replace_dir(root, output)
            return
        archive = Path(scratch) / "package.zip"
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
            for path in sorted(root.rglob("*")):
                zipped.write(path, path.relative_to(scratch).as_posix())
        os.chmod(archive, FILE_MODE)
        os.replace(archive, output)
