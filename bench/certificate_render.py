"""PDF render time per certificate: median (and spread) over N renders of a
one-page certificate with a Cyrillic name, a bilingual template and a QR code,
after one warm-up render (fonts are loaded once per process).

    .venv/bin/python bench/certificate_render.py [-n 100] [--background jpeg|png|none]

``--like-certificate ID`` renders what an issued certificate prints (its
template snapshot, images, name, course and dates) with a new code each time:
the direct render ``make bench`` compares the worker's time per certificate
with.
"""

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "training_platform.settings")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=100)
    parser.add_argument("--background", choices=["none", "jpeg", "png"], default="none")
    parser.add_argument("--png", action="store_true", help="also time PDF -> PNG")
    parser.add_argument(
        "--like-certificate",
        type=int,
        help="render the template and text of this issued certificate",
    )
    args = parser.parse_args()

    import django

    django.setup()
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from certificates import codes, rendering
    from certificates.models import DEFAULT_BODY, DEFAULT_TITLE

    background = None
    if args.background != "none":
        from PIL import Image

        image = Image.radial_gradient("L").resize((1754, 1240)).convert("RGB")
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG" if args.background == "jpeg" else "PNG")
        import base64

        mime = "jpeg" if args.background == "jpeg" else "png"
        background = (
            f"data:image/{mime};base64," + base64.b64encode(buffer.getvalue()).decode()
        )
        rendering.image_data_url = lambda image_id, spec: (
            background if image_id else None
        )

    now = timezone.now()
    template = {
        "language": "ru",
        "title": "Сертификат об окончании курса",
        "body": "Настоящим удостоверяется, что\n{learner_name}\nуспешно завершил(а) "
        "курс\n{course_title}\n{completion_date}, итоговый балл {score}.",
        "bilingual": True,
        "secondary_title": DEFAULT_TITLE,
        "secondary_body": DEFAULT_BODY,
        "background_id": 1 if background else None,
        "signatories": [
            {"name": "Elira Hoxha", "title": "Programme coordinator"},
            {"name": "Nino Beridze", "title": "Lead trainer"},
        ],
    }

    like = None
    if args.like_certificate:
        import dataclasses

        from certificates.models import Certificate

        like = rendering.CertificateData.from_certificate(
            Certificate.objects.get(pk=args.like_certificate)
        )

    def data():
        if like is not None:
            return dataclasses.replace(like, code=codes.generate())
        return rendering.CertificateData(
            code=codes.generate(),
            learner_name="Александра Константиновна Воскресенская",
            course_title="Выявление жертв торговли людьми на границе",
            course_title_secondary="Identifying victims of trafficking at the border",
            template=template,
            completed_at=now,
            issued_at=now,
            expires_at=now + timedelta(days=730),
            score=Decimal("87"),
        )

    rendering.render_pdf(data())  # warm-up: fonts, caches
    pdf_times, cpu_times, png_times = [], [], []
    for _ in range(args.n):
        started, cpu_started = time.perf_counter(), time.process_time()
        pdf = rendering.render_pdf(data())
        pdf_times.append(time.perf_counter() - started)
        cpu_times.append(time.process_time() - cpu_started)
        if args.png:
            started = time.perf_counter()
            rendering.render_png(pdf)
            png_times.append(time.perf_counter() - started)
    print(
        f"PDF render, {args.n} certificates, background {args.background}: "
        f"median {statistics.median(pdf_times) * 1000:.1f} ms, "
        f"p90 {sorted(pdf_times)[int(args.n * 0.9) - 1] * 1000:.1f} ms, "
        f"CPU median {statistics.median(cpu_times) * 1000:.1f} ms, "
        f"size {len(pdf) / 1024:.0f} KiB; "
        f"libharfbuzz-subset: {rendering.harfbuzz_subset_available()}"
    )
    load = os.getloadavg()[0]
    print(f"load average during the run: {load:.1f} on {os.cpu_count()} cores")
    if png_times:
        print(f"PNG from PDF: median {statistics.median(png_times) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
