"""Human labels of audit actions. The trail stores a stable code ("personnel.event_recorded");
pages show the label each app registers for its codes (in its AppConfig.ready), so nobody reads
a raw code. A code without a label is shown as it is."""

_labels: dict[str, str] = {}


def register(labels: dict[str, str]) -> None:
    _labels.update(labels)


def label(action: str) -> str:
    found = _labels.get(action)
    return str(found) if found is not None else action
