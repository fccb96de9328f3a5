// Autosave for an assessment attempt.
//
// Every change is saved at once (debounced). Unsent answers are kept in
// localStorage, so a lost connection or a closed tab loses nothing; they are
// sent again, with the sequence number this tab last saw, when the
// connection returns. A batch once sent keeps its id until acknowledged, so a
// save whose response was lost is recognised by the server instead of being
// refused as stale. Another tab's newer save makes this tab's sequence stale:
// the server refuses and we say so plainly. The server's clock decides the
// deadline; the countdown here is only a display.

const root = document.querySelector(".attempt[data-attempt]");
const form = root && root.querySelector("[data-attempt-form]");
const text = document.getElementById("attempt-text")?.dataset || {};

if (root && form) {
  const attemptId = root.dataset.attempt;
  const saveUrl = root.dataset.saveUrl;
  const storeKey = `attempt-${attemptId}`;
  const statusBox = root.querySelector("[data-save-status]");
  const alertBox = root.querySelector("[data-alert]");
  const sequenceField = form.querySelector("[data-sequence-field]");
  const csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;

  let state = load() || { sequence: Number(root.dataset.sequence), pending: {}, batch: null };
  if (state.sequence < Number(root.dataset.sequence) && !state.batch) {
    state.sequence = Number(root.dataset.sequence);
  }
  let inflight = false;
  let stopped = false;
  let timer = null;
  let retryDelay = 2000;
  let submitting = false;

  function load() {
    try {
      return JSON.parse(localStorage.getItem(storeKey));
    } catch (e) {
      return null;
    }
  }
  function persist() {
    try {
      localStorage.setItem(storeKey, JSON.stringify(state));
    } catch (e) {
      /* storage full or disabled: the in-memory queue still works */
    }
  }
  function forget() {
    try {
      localStorage.removeItem(storeKey);
    } catch (e) {
      /* ignore */
    }
  }
  function status(message, kind) {
    statusBox.textContent = message;
    statusBox.dataset.kind = kind || "";
  }
  function refuse(message, linkText, href) {
    stopped = true;
    alertBox.hidden = false;
    alertBox.textContent = message + " ";
    const link = document.createElement("a");
    link.href = href || window.location.pathname + window.location.search;
    link.textContent = linkText;
    alertBox.appendChild(link);
    form.querySelectorAll("input, select, button, textarea").forEach((el) => {
      if (el.type !== "hidden") el.disabled = true;
    });
    alertBox.focus?.();
  }

  function fieldsOf(fieldset) {
    const pairs = [];
    fieldset.querySelectorAll("input, select, textarea").forEach((el) => {
      if (!el.name) return;
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) return;
      pairs.push([el.name, el.value]);
    });
    return pairs;
  }

  function restore(position, pairs) {
    const fieldset = form.querySelector(`fieldset[data-position="${position}"]`);
    if (!fieldset) return;
    fieldset.querySelectorAll("input, select, textarea").forEach((el) => {
      if (el.type === "radio" || el.type === "checkbox") {
        el.checked = pairs.some(([n, v]) => n === el.name && v === el.value);
      } else {
        const pair = pairs.find(([n]) => n === el.name);
        el.value = pair ? pair[1] : "";
      }
    });
  }

  function queue(fieldset) {
    state.pending[fieldset.dataset.position] = fieldsOf(fieldset);
    persist();
    clearTimeout(timer);
    timer = setTimeout(flush, 400);
  }

  function nextBatch() {
    if (state.batch || !Object.keys(state.pending).length) return state.batch;
    const id = (crypto.randomUUID && crypto.randomUUID()) || String(Date.now()) + Math.random();
    state.batch = { id, sequence: state.sequence, slots: state.pending };
    state.pending = {};
    persist();
    return state.batch;
  }

  async function flush() {
    if (inflight || stopped) return;
    const batch = nextBatch();
    if (!batch) {
      status(text.saved, "saved");
      return;
    }
    inflight = true;
    status(text.saving, "saving");
    const body = new URLSearchParams();
    body.append("csrfmiddlewaretoken", csrf);
    body.append("sequence", String(batch.sequence));
    body.append("batch", batch.id);
    body.append("slots", Object.keys(batch.slots).join(","));
    for (const pairs of Object.values(batch.slots)) {
      for (const [name, value] of pairs) body.append(name, value);
    }
    let response;
    try {
      response = await fetch(saveUrl, {
        method: "POST",
        body,
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRFToken": csrf },
      });
    } catch (e) {
      inflight = false;
      status(navigator.onLine === false ? text.offline : text.pending, "offline");
      scheduleRetry();
      return;
    }
    inflight = false;
    let data = {};
    try {
      data = await response.json();
    } catch (e) {
      data = {};
    }
    if (response.ok && data.ok) {
      state.sequence = data.sequence;
      state.batch = null;
      sequenceField.value = String(data.sequence);
      persist();
      retryDelay = 2000;
      if (Object.keys(state.pending).length) return flush();
      forgetIfIdle();
      status(text.saved, "saved");
      return;
    }
    if (data.code === "stale") {
      forget();
      refuse(data.message, text.reload);
      return;
    }
    if (data.code === "closed" || data.code === "deadline_passed") {
      forget();
      refuse(data.message, text.review, text.reviewUrl);
      return;
    }
    if (response.status >= 400 && response.status < 500) {
      state.batch = null;
      persist();
      refuse(data.message || text.error, text.reload);
      return;
    }
    status(text.error, "error");
    scheduleRetry();
  }

  function forgetIfIdle() {
    if (!state.batch && !Object.keys(state.pending).length) {
      state = { sequence: state.sequence, pending: {}, batch: null };
      persist();
    }
  }

  let retryTimer = null;
  function scheduleRetry() {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(flush, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 30000);
  }

  window.addEventListener("online", () => {
    retryDelay = 2000;
    flush();
  });
  window.addEventListener("offline", () => status(text.offline, "offline"));

  // "n of N questions answered": the server's count for the other pages
  // plus what is answered on this one now.
  const answeredBox = form.querySelector("[data-answered-count]");
  const isAnswered = (fieldset) =>
    fieldsOf(fieldset).some(([, value]) => value.trim() !== "");
  const fieldsets = [...form.querySelectorAll("fieldset[data-position]")];
  const answeredElsewhere = answeredBox
    ? Number(form.querySelector("[data-answered]").dataset.answeredBase) -
      fieldsets.filter(isAnswered).length
    : 0;
  function countAnswered() {
    if (answeredBox) {
      answeredBox.textContent = String(answeredElsewhere + fieldsets.filter(isAnswered).length);
    }
  }

  form.addEventListener("change", (event) => {
    const fieldset = event.target.closest("fieldset[data-position]");
    if (fieldset) queue(fieldset);
    countAnswered();
  });
  form.addEventListener("input", (event) => {
    if (event.target.matches("input[type=text]")) {
      const fieldset = event.target.closest("fieldset[data-position]");
      if (fieldset) queue(fieldset);
    }
  });

  async function settle() {
    // Send everything pending; resolves true when nothing is left unsent.
    for (let i = 0; i < 5; i++) {
      clearTimeout(timer);
      if (inflight) await new Promise((r) => setTimeout(r, 200));
      else await flush();
      if (stopped) return false;
      if (!state.batch && !Object.keys(state.pending).length && !inflight) return true;
      if (navigator.onLine === false) return false;
    }
    return !state.batch && !Object.keys(state.pending).length;
  }

  form.addEventListener("submit", async (event) => {
    if (submitting) return;
    if (stopped) {
      event.preventDefault();
      return;
    }
    clearTimeout(timer);
    if (!inflight && !state.batch && !Object.keys(state.pending).length) {
      // Nothing unsent: the form goes as it is, with the latest sequence.
      sequenceField.value = String(state.sequence);
      submitting = true;
      forget();
      return;
    }
    event.preventDefault();
    const submitter = event.submitter;
    if (!(await settle())) {
      if (!stopped) status(text.submitOffline, "offline");
      return;
    }
    sequenceField.value = String(state.sequence);
    submitting = true;
    forget();
    // Outside the submit event's dispatch, or the browser ignores it.
    setTimeout(() => form.requestSubmit(submitter || undefined), 0);
  });

  // Answers typed before the tab was closed or went offline: show and send them.
  const stored = Object.assign({}, state.batch ? state.batch.slots : {}, state.pending);
  for (const [position, pairs] of Object.entries(stored)) restore(position, pairs);
  countAnswered();
  if (state.batch || Object.keys(state.pending).length) flush();

  // The countdown (display only; performance.now() ignores clock changes).
  const timerBox = root.querySelector("[data-timer-value]");
  if (timerBox && root.dataset.remaining) {
    const end = performance.now() + Number(root.dataset.remaining) * 1000;
    const tick = () => {
      const left = Math.max(0, Math.round((end - performance.now()) / 1000));
      const minutes = Math.floor(left / 60);
      const seconds = String(left % 60).padStart(2, "0");
      timerBox.textContent = `${minutes}:${seconds}`;
      timerBox.parentElement.classList.toggle("timer-low", left <= 60);
      if (left === 0) {
        status(text.timeUp, "saving");
        const submit = form.querySelector("[data-submit]");
        if (submit && !submitting) form.requestSubmit(submit);
        else if (!submitting) window.location.reload();
        return;
      }
      setTimeout(tick, 1000);
    };
    tick();
  }
}
