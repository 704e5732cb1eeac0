"""CTranslate2 vocabulary maps (`vmap.txt` in the model folder, used with `--vmap`).

CTranslate2 reads `vmap.txt` when it loads the model; with `use_vmap=True` each batch's
output projection is cut to the union of the target tokens its lines allow. Format
(ctranslate2 src/vocabulary_map.cc): one line per source n-gram, `src_1 … src_N<TAB>tgt_1
… tgt_K`, tokens space-separated; a line whose source side is empty lists tokens always
allowed (`<unk>`, the start and end tokens are added by CTranslate2 itself). A repeated
source side replaces the earlier line, and a file without lines must not be written (the
loader indexes the first rule table unchecked).

Our corpora are English only (the dev set's English side, the glossary's English names,
`--corpus` files), so the map is that one always-allowed line: every target piece the
corpus tokenizes to, every piece of the vocabulary without letters (figures, punctuation),
the glossary placeholders and the end token. A source-conditioned map would need an
aligned parallel corpus. It can change translations: only `make eval` on the real model
shows what it costs.
"""

import hashlib
from dataclasses import dataclass
from pathlib import Path

from toolkit.errors import ConfigError
from toolkit.fsutil import atomic_write_text
from toolkit.model.store import load_model_info, spm_files, target_vocabulary
from toolkit.model.synth import corpus_cells, default_corpus, is_arabic

VMAP_NAME = "vmap.txt"
EOS = "</s>"
PLACEHOLDERS = 100  # TERM1 … TERM99 (toolkit.glossary.enforce.PLACEHOLDER)


@dataclass(frozen=True)
class VmapSummary:
    path: Path
    tokens: int  # target tokens the map allows
    vocabulary: int  # size of the model's target vocabulary
    lines: int  # English lines it was built from


def vmap_path(model_dir: Path) -> Path:
    return Path(model_dir) / VMAP_NAME


def vmap_sha256(model_dir: Path) -> str:
    """The digest of the model's vocabulary map; a one-line error when there is none."""
    load_model_info(model_dir)  # a missing model is reported as such first
    path = vmap_path(model_dir)
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        raise ConfigError(
            f"--vmap: no vocabulary map at {path}: run `toolkit model vmap {model_dir}` first"
        ) from None


def vmap_tokens(model_dir: Path) -> int:
    """How many distinct target tokens the model's vocabulary map allows."""
    lines = vmap_path(model_dir).read_text(encoding="utf-8").splitlines()
    return len({token for line in lines for token in line.partition("\t")[2].split()})


def english_lines(paths: list[Path]) -> list[str]:
    """Every non-Arabic tab-separated field of every line (plain English text works too)."""
    return [cell for cell in corpus_cells(paths) if not is_arabic(cell)]


def default_vmap_corpus() -> list[str]:
    """The dev set's English side and the glossary's English names (glossaries/*.tsv)."""
    from toolkit.evaluate import read_references
    from toolkit.glossary import default_glossary_files, load_glossary

    lines = [reference.english for path in default_corpus() for reference in read_references(path)]
    files = default_glossary_files()
    if files:
        lines += sorted({entry.english for entry in load_glossary(files).entries})
    return lines


def allowed_tokens(model_dir: Path, lines: list[str]) -> set[str]:
    import sentencepiece as spm

    tokenizers = spm_files(model_dir)  # target.spm, or an Argos model's one shared model
    if tokenizers is None:
        raise ConfigError(f"{model_dir}: no target.spm or sentencepiece.model")
    processor = spm.SentencePieceProcessor(model_file=str(tokenizers[1]))
    vocabulary = target_vocabulary(model_dir)
    if not vocabulary:
        raise ConfigError(f"{model_dir}: no shared_vocabulary.json or target_vocabulary.json")
    placeholders = [f"TERM{number}" for number in range(1, PLACEHOLDERS)]
    wanted = {EOS}
    for line in [*lines, *placeholders]:
        wanted.update(processor.encode(line, out_type=str))
    wanted.update(token for token in vocabulary if not any(ch.isalpha() for ch in token))
    return wanted & set(vocabulary)


def build_vmap(model_dir: Path, corpus: list[Path] | None = None) -> VmapSummary:
    """Write MODEL_DIR/vmap.txt from the default corpus plus `corpus` files."""
    load_model_info(model_dir)
    lines = default_vmap_corpus() + english_lines(corpus or [])
    tokens = allowed_tokens(model_dir, lines)
    path = vmap_path(model_dir)
    atomic_write_text(path, "\t" + " ".join(sorted(tokens)) + "\n")
    return VmapSummary(path, len(tokens), len(target_vocabulary(model_dir)), len(lines))
