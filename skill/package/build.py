"""Write skill-package/ (the ASK CLI v2 layout) from the project's sources:

    skill-package/skill.json                          <- skill/package/listing.json + the endpoint
    skill-package/interactionModels/custom/<locale>   <- interaction_model/<locale>.json + name-free.json
    skill-package/assets/images/icon-{108,512}.png    <- skill/package/icons.py
    ask-resources.json                                <- `ask deploy` reads the package from skill-package/

`stale()` lists what differs from a fresh render (a test fails on drift). The endpoint and the privacy
URL are the one thing each deployment sets: a refresh keeps the ones already in skill.json.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from skill.package import icons

REPO = Path(__file__).resolve().parents[2]
MODEL_DIR = REPO / "interaction_model"
LOCALES = ("en-US", "en-GB", "en-CA", "en-AU", "en-IN")
CERTIFICATES = ("Trusted", "Wildcard", "SelfSigned")  # SelfSigned: development only, never certified
ICONS = {"smallIconUri": ("icon-108.png", icons.SIZES["small"]), "largeIconUri": ("icon-512.png", icons.SIZES["large"])}
PERSONALIZATION = "alexa::person_id:read"  # without it Alexa sends no personId: one progress per account


class PackageError(ValueError):
    """An option that cannot make a valid package; the message says which and why."""


@dataclass(frozen=True)
class Endpoint:
    """An HTTPS URL with its certificate type, or a Lambda function's ARN."""

    uri: str = "https://coach.example.com/alexa"
    certificate: str | None = "Trusted"

    def __post_init__(self) -> None:
        if self.uri.startswith("arn:aws:lambda:"):
            if self.certificate is not None:
                raise PackageError("a Lambda endpoint has no certificate type")
        elif self.uri.startswith("https://"):
            if self.certificate not in CERTIFICATES:
                raise PackageError(f"certificate type must be one of {', '.join(CERTIFICATES)}")
        else:
            raise PackageError(f"endpoint must be an https:// URL or a Lambda ARN, not {self.uri!r}")

    def manifest(self) -> dict[str, str]:
        return {"uri": self.uri, **({"sslCertificateType": self.certificate} if self.certificate else {})}


@dataclass(frozen=True)
class Deployment:
    endpoint: Endpoint = Endpoint()
    privacy_url: str = "https://coach.example.com/privacy"

    def __post_init__(self) -> None:
        if not self.privacy_url.startswith("https://"):
            raise PackageError("the privacy policy URL must be an https:// URL")


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _text(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def manifest(deployment: Deployment) -> dict[str, Any]:
    listing = _json(Path(__file__).with_name("listing.json"))
    per_locale = {key: listing[key] for key in ("name", "summary", "description", "examplePhrases", "keywords",
                                                 "updatesDescription")}
    per_locale.update({key: f"file://assets/images/{name}" for key, (name, _) in ICONS.items()})
    endpoint = deployment.endpoint.manifest()
    return {"manifest": {
        "manifestVersion": "1.0",
        "publishingInformation": {
            "locales": {locale: per_locale for locale in LOCALES},
            "isAvailableWorldwide": False,
            "distributionCountries": listing["distributionCountries"],
            "distributionMode": "PUBLIC",
            "category": "HEALTH_AND_FITNESS",
            "testingInstructions": listing["testingInstructions"],
        },
        "privacyAndCompliance": {
            "allowsPurchases": False,
            "usesPersonalInfo": False,
            "isChildDirected": False,
            "isExportCompliant": True,
            "containsAds": False,
            "usesHealthInfo": False,
            "locales": {locale: {"privacyPolicyUrl": deployment.privacy_url} for locale in LOCALES},
        },
        "apis": {"custom": {
            "endpoint": endpoint,
            "interfaces": [
                # Declared so Echo Show devices send their viewport; screens render the same session.
                {"type": "ALEXA_PRESENTATION_APL", "supportedViewports": [
                    {"mode": "HUB", "shape": "ROUND", "minWidth": 100, "maxWidth": 599, "minHeight": 100,
                     "maxHeight": 599},
                    {"mode": "HUB", "shape": "RECTANGLE", "minWidth": 600, "maxWidth": 1920, "minHeight": 100,
                     "maxHeight": 1279},
                ]},
                {"type": "CAN_FULFILL_INTENT_REQUEST"},
            ],
        }},
        # Set by `ask deploy` (SMAPI): the developer console cannot subscribe to events.
        "events": {"endpoint": endpoint, "subscriptions": [{"eventName": "SKILL_DISABLED"}]},
        "permissions": [{"name": PERSONALIZATION}],
    }}


def model(locale: str) -> dict[str, Any]:
    document = _json(MODEL_DIR / f"{locale}.json")
    document["interactionModel"]["_nameFreeInteraction"] = _json(MODEL_DIR / "name-free.json")
    return document


def ask_resources() -> dict[str, Any]:
    # The skill package only: the code is served by `backcoach serve` or deployed by deploy/backcoach.yaml.
    return {"askcliResourcesVersion": "2020-03-31", "profiles": {"default": {"skillMetadata": {"src": "./skill-package"}}}}


def render(deployment: Deployment) -> dict[str, bytes]:
    """Every generated file, by path relative to the repository."""
    files = {"skill-package/skill.json": _text(manifest(deployment)).encode(),
             "ask-resources.json": _text(ask_resources()).encode()}
    for locale in LOCALES:
        files[f"skill-package/interactionModels/custom/{locale}.json"] = _text(model(locale)).encode()
    for name, size in ICONS.values():
        files[f"skill-package/assets/images/{name}"] = icons.png(size)
    return files


def current(root: Path = REPO) -> Deployment:
    """The deployment settings already in skill-package/skill.json (the defaults if there is none)."""
    path = root / "skill-package" / "skill.json"
    if not path.is_file():
        return Deployment()
    found = _json(path)["manifest"]
    endpoint = found["apis"]["custom"]["endpoint"]
    privacy = next(iter(found["privacyAndCompliance"]["locales"].values()))["privacyPolicyUrl"]
    return Deployment(Endpoint(endpoint["uri"], endpoint.get("sslCertificateType")), privacy)


def stale(root: Path = REPO, deployment: Deployment | None = None) -> list[str]:
    """Generated files that are missing or differ from a fresh render. Icons are compared by their
    pixels (another zlib may compress the same image to other bytes)."""
    out = []
    for name, data in render(deployment or current(root)).items():
        path = root / name
        if not path.is_file():
            out.append(name)
        elif name.endswith(".png"):
            if not icons.same_pixels(path.read_bytes(), data):
                out.append(name)
        elif path.read_bytes() != data:
            out.append(name)
    return out


def write(root: Path = REPO, deployment: Deployment | None = None) -> list[str]:
    """Write what is stale; returns the paths written."""
    deployment = deployment or current(root)
    behind = set(stale(root, deployment))
    for name, data in render(deployment).items():
        if name in behind:
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    return sorted(behind)
