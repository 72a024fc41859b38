// OneTrip display board: follows the hall's server-sent events, keeps the
// latest calls and waiting counts current and announces calls with the
// browser's speech synthesis (请 A012 号到 3 号窗口). First-party, no
// dependencies; the page works without it.
(function () {
  'use strict';
  var board = document.getElementById('hall-board');
  if (!board || typeof window.EventSource !== 'function') { return; }
  var d = board.dataset;
  var list = document.getElementById('board-calls');
  var statusEl = document.getElementById('board-status');
  var voiceBtn = document.getElementById('board-voice');
  var MAX_CALLS = 10;
  var voice = false;
  var refreshTimer = null;

  function setStatus(text, state) {
    if (!statusEl) { return; }
    statusEl.textContent = text;
    statusEl.setAttribute('data-state', state);
  }

  // ---- speech ----
  var canSpeak = 'speechSynthesis' in window && typeof window.SpeechSynthesisUtterance === 'function';
  function say(text) {
    if (!voice || !canSpeak) { return; }
    var u = new SpeechSynthesisUtterance(text);
    u.lang = 'zh-CN';
    u.rate = 0.9;
    window.speechSynthesis.speak(u);
  }
  if (voiceBtn && canSpeak) {
    voiceBtn.hidden = false;
    voiceBtn.addEventListener('click', function () {
      voice = !voice;
      voiceBtn.setAttribute('aria-pressed', voice ? 'true' : 'false');
      voiceBtn.textContent = voice ? d.voiceOff : d.voiceOn;
      if (voice) { say('语音播报已开启'); } else { window.speechSynthesis.cancel(); }
    });
  }

  // ---- the lists ----
  function pad(n) { return (n < 10 ? '0' : '') + n; }
  function clock(micros) {
    // Beijing time is UTC+8 all year.
    var t = new Date(micros / 1000 + 8 * 3600 * 1000);
    return pad(t.getUTCHours()) + ':' + pad(t.getUTCMinutes());
  }
  function span(cls, text) {
    var s = document.createElement('span');
    s.className = cls;
    s.textContent = text;
    return s;
  }
  function addCall(e) {
    if (!list) { return; }
    var empty = document.getElementById('board-empty');
    if (empty) { empty.remove(); }
    var li = document.createElement('li');
    li.className = 'board-call board-call--latest';
    li.setAttribute('data-id', String(e.id));
    li.appendChild(span('board-call__number', e.ticket_number));
    li.appendChild(document.createTextNode(' '));
    var arrow = span('board-call__arrow', '→');
    arrow.setAttribute('aria-hidden', 'true');
    li.appendChild(arrow);
    li.appendChild(document.createTextNode(' '));
    li.appendChild(span('board-call__window', (e.counter_number == null ? '' : e.counter_number) + ' ' + d.windowSuffix));
    li.appendChild(document.createTextNode(' '));
    var time = document.createElement('time');
    time.className = 'board-call__time';
    time.textContent = clock(e.at);
    li.appendChild(time);
    var old = list.querySelectorAll('.board-call--latest');
    for (var i = 0; i < old.length; i++) { old[i].classList.remove('board-call--latest'); }
    list.insertBefore(li, list.firstChild);
    while (list.children.length > MAX_CALLS) { list.removeChild(list.lastChild); }
  }
  function bump(category, delta) {
    if (!category) { return; }
    var cells = board.querySelectorAll('[data-waiting="' + category.replace(/[^A-Z]/g, '') + '"]');
    for (var i = 0; i < cells.length; i++) {
      var n = parseInt(cells[i].textContent, 10) || 0;
      cells[i].textContent = String(Math.max(0, n + delta));
    }
  }
  function setTotal(n) {
    if (typeof n !== 'number') { return; }
    var t = board.querySelectorAll('[data-waiting-total]');
    for (var i = 0; i < t.length; i++) { t[i].textContent = String(n); }
  }
  // Counts and windows are exact on the server: re-read them from the page
  // itself shortly after a burst of events.
  function scheduleRefresh() {
    if (refreshTimer) { return; }
    refreshTimer = window.setTimeout(function () {
      refreshTimer = null;
      fetch(window.location.href, { credentials: 'same-origin', headers: { 'Accept': 'text/html' } })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) {
          if (!html) { return; }
          var doc = new DOMParser().parseFromString(html, 'text/html');
          var parts = board.querySelectorAll('[data-refresh]');
          for (var i = 0; i < parts.length; i++) {
            var name = parts[i].getAttribute('data-refresh');
            var fresh = doc.querySelector('[data-refresh="' + name + '"]');
            if (fresh) { parts[i].replaceChildren.apply(parts[i], Array.prototype.slice.call(fresh.childNodes)); }
          }
        })
        .catch(function () { /* the next event tries again */ });
    }, 1500);
  }

  function handle(kind, ev) {
    var e;
    try { e = JSON.parse(ev.data); } catch (x) { return; }
    var detail = e.detail || {};
    if (kind === 'called' || kind === 'recalled') {
      addCall(e);
      if (kind === 'called') { bump(detail.category, -1); }
      say('请 ' + e.ticket_number + ' 号到 ' + e.counter_number + ' 号窗口');
    } else if (kind === 'issued') {
      bump(detail.category, 1);
    }
    setTotal(detail.waiting);
    scheduleRefresh();
  }

  // ---- the feed ----
  var url = '/hall/' + encodeURIComponent(d.centre) + '/' + encodeURIComponent(d.hall) +
    '/board/events?after=' + encodeURIComponent(d.lastId || '0');
  setStatus(d.statusConnecting, 'connecting');
  var source = new EventSource(url);
  source.onopen = function () { setStatus(d.statusOpen, 'open'); };
  source.onerror = function () {
    // EventSource reconnects by itself and sends Last-Event-ID, so the
    // server replays every call missed meanwhile.
    setStatus(source.readyState === EventSource.CLOSED ? d.statusConnecting : d.statusRetry, 'retry');
    if (source.readyState === EventSource.CLOSED) {
      window.setTimeout(function () { window.location.reload(); }, 10000);
    }
  };
  ['issued', 'called', 'recalled', 'started', 'finished', 'no_show', 'transferred', 'parked', 'resumed', 'abandoned']
    .forEach(function (kind) {
      source.addEventListener(kind, function (ev) { handle(kind, ev); });
    });
  source.onmessage = function (ev) { handle('message', ev); };
}());
