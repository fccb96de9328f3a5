"""What must happen before a learner downloads a certificate, registered by
higher apps (the surveys app asks for the course's feedback survey when the
course requires it). Each gate is ``gate(user, certificate) -> str | None``:
the address to send the learner to first, or None. A certificate behind a
gate is e-mailed without its PDF attached (the message links to it)."""

download_gates: list = []


def first_stop(user, certificate) -> str | None:
    for gate in download_gates:
        url = gate(user, certificate)
        if url:
            return url
    return None
