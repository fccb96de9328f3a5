"""Builds small ``.h5p`` packages in code: the platform's own one-question
quiz library (``H5P.PlatformQuiz``) for the demo course, and the base the
tests build crafted packages from."""

import io
import json
import zipfile

QUIZ_LIBRARY = "H5P.PlatformQuiz"

QUIZ_JS = r"""
H5P.PlatformQuiz = (function () {
  "use strict";
  function PlatformQuiz(params, contentId, extras) {
    H5P.EventDispatcher.call(this);
    this.params = params || {};
    this.contentId = contentId;
    var previous = extras && extras.previousState;
    this.chosen =
      previous && typeof previous.chosen === "number" ? previous.chosen : null;
  }
  PlatformQuiz.prototype = Object.create(H5P.EventDispatcher.prototype);
  PlatformQuiz.prototype.constructor = PlatformQuiz;

  PlatformQuiz.prototype.attach = function ($container) {
    var self = this;
    var root = $container.get(0);
    root.classList.add("platform-quiz");
    root.textContent = "";
    var question = document.createElement("p");
    question.className = "pq-question";
    question.textContent = this.params.question || "";
    root.appendChild(question);
    var answers = this.params.answers || [];
    answers.forEach(function (answer, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "pq-answer";
      button.textContent = answer.text;
      button.setAttribute("aria-pressed", String(self.chosen === index));
      button.addEventListener("click", function () {
        self.chosen = index;
        root.querySelectorAll(".pq-answer").forEach(function (other, i) {
          other.setAttribute("aria-pressed", String(i === index));
        });
        self.triggerXAPI("interacted");
      });
      root.appendChild(button);
    });
    var check = document.createElement("button");
    check.type = "button";
    check.className = "pq-check";
    check.textContent = this.params.checkLabel || "Check";
    check.addEventListener("click", function () {
      if (self.chosen === null) return;
      var correct = !!(answers[self.chosen] && answers[self.chosen].correct);
      self.triggerXAPIScored(correct ? 1 : 0, 1, "answered");
      var result = root.querySelector(".pq-result") || document.createElement("p");
      result.className = "pq-result";
      result.setAttribute("role", "status");
      result.textContent = correct
        ? self.params.correctText || "Correct"
        : self.params.wrongText || "Not quite";
      root.appendChild(result);
      self.trigger("resize");
    });
    root.appendChild(check);
    this.triggerXAPI("attempted");
  };

  PlatformQuiz.prototype.getCurrentState = function () {
    return { chosen: this.chosen };
  };
  PlatformQuiz.prototype.getScore = function () {
    var answers = this.params.answers || [];
    var answer = this.chosen !== null ? answers[this.chosen] : null;
    return answer && answer.correct ? 1 : 0;
  };
  PlatformQuiz.prototype.getMaxScore = function () {
    return 1;
  };
  return PlatformQuiz;
})();
"""

QUIZ_CSS = """
.platform-quiz { font: 16px/1.5 system-ui, sans-serif; padding: 12px; }
.platform-quiz .pq-question { font-weight: 600; margin: 0 0 12px; }
.platform-quiz button { display: block; width: 100%; margin: 0 0 8px; padding: 12px;
  font: inherit; text-align: left; border: 1px solid #98a2b3; border-radius: 6px;
  background: #fff; cursor: pointer; min-height: 44px; }
.platform-quiz .pq-answer[aria-pressed="true"] {
  border-color: #1d4ed8; background: #eff4ff; }
.platform-quiz .pq-check {
  text-align: center; background: #1d4ed8; color: #fff; border-color: #1d4ed8; }
.platform-quiz .pq-result { font-weight: 600; margin: 8px 0 0; }
"""


def library_json(
    machine_name=QUIZ_LIBRARY,
    major=1,
    minor=0,
    patch=0,
    *,
    js="quiz.js",
    css="quiz.css",
    dependencies=(),
    runnable=1,
    **extra,
):
    data = {
        "title": machine_name.split(".")[-1],
        "machineName": machine_name,
        "majorVersion": major,
        "minorVersion": minor,
        "patchVersion": patch,
        "runnable": runnable,
        "coreApi": {"majorVersion": 1, "minorVersion": 19},
        "license": "MIT",
        "author": "Training platform",
        "embedTypes": ["div"],
        "preloadedJs": [{"path": js}] if js else [],
        "preloadedCss": [{"path": css}] if css else [],
        "preloadedDependencies": [
            {"machineName": n, "majorVersion": a, "minorVersion": b}
            for n, a, b in dependencies
        ],
    }
    data.update(extra)
    return data


def h5p_json(title, main=QUIZ_LIBRARY, dependencies=((QUIZ_LIBRARY, 1, 0),), **extra):
    data = {
        "title": title,
        "language": "en",
        "mainLibrary": main,
        "embedTypes": ["div"],
        "license": "U",
        "preloadedDependencies": [
            {"machineName": n, "majorVersion": str(a), "minorVersion": str(b)}
            for n, a, b in dependencies
        ],
    }
    data.update(extra)
    return data


def quiz_files(
    *,
    title="Is this a question?",
    question="Is trafficking in persons a crime even when the victim agreed at first?",
    answers=(("Yes", True), ("No", False)),
    patch=0,
    js=QUIZ_JS,
    labels=None,
):
    content = {
        "question": question,
        "answers": [{"text": text, "correct": correct} for text, correct in answers],
        **(labels or {}),
    }
    return {
        "h5p.json": json.dumps(h5p_json(title)),
        "content/content.json": json.dumps(content),
        f"{QUIZ_LIBRARY}-1.0/library.json": json.dumps(library_json(patch=patch)),
        f"{QUIZ_LIBRARY}-1.0/quiz.js": js,
        f"{QUIZ_LIBRARY}-1.0/quiz.css": QUIZ_CSS,
        f"{QUIZ_LIBRARY}-1.0/language/ru.json": json.dumps({"semantics": []}),
    }


def build_zip(files):
    """``files``: name -> str | bytes, or name -> (bytes, ZipInfo-like dict)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            if isinstance(data, str):
                data = data.encode("utf-8")
            archive.writestr(name, data)
    return buffer.getvalue()


def quiz_package(**kwargs):
    return build_zip(quiz_files(**kwargs))
