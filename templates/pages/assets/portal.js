// The portal's one script. Every page works without it; it adds what needs a browser:
// the exam countdown, autosave of answers, an essay's word count, and the live audience preview.
(function () {
  'use strict';

  // Countdown: <div data-deadline="ISO instant" data-form="id"> — the server decides the end;
  // this only shows the time left and submits the form when it is reached.
  function countdown(el) {
    var end = Date.parse(el.getAttribute('data-deadline'));
    if (isNaN(end)) return;
    var out = el.querySelector('[data-left]');
    var form = document.getElementById(el.getAttribute('data-form'));
    function tick() {
      var left = Math.max(0, Math.round((end - Date.now()) / 1000));
      var m = Math.floor(left / 60);
      var s = left % 60;
      if (out) out.textContent = m + ':' + (s < 10 ? '0' : '') + s;
      if (left === 0) {
        if (form && !form.dataset.sent) {
          form.dataset.sent = '1';
          form.submit();
        }
        return;
      }
      setTimeout(tick, 1000);
    }
    tick();
  }

  // Autosave: a form with data-autosave="url" posts its fields there (urlencoded, with its
  // CSRF token) a moment after any change, and says so in its [data-saved] element.
  function autosave(form) {
    var url = form.getAttribute('data-autosave');
    var status = form.querySelector('[data-saved]');
    var timer = null;
    function save() {
      var body = new URLSearchParams(new FormData(form));
      fetch(url, {
        method: 'POST',
        body: body,
        credentials: 'same-origin',
        headers: { Accept: 'application/json' },
      }).then(
        function (res) {
          if (status)
            status.textContent = res.ok
              ? status.getAttribute('data-ok')
              : status.getAttribute('data-fail');
        },
        function () {
          if (status) status.textContent = status.getAttribute('data-fail');
        },
      );
    }
    form.addEventListener('change', function () {
      clearTimeout(timer);
      timer = setTimeout(save, 600);
    });
  }

  // Live preview: a form with data-preview="url" shows, in its [data-preview-out] element,
  // the HTML fragment that url returns for the form's current fields.
  function preview(form) {
    var url = form.getAttribute('data-preview');
    var out = document.querySelector(form.getAttribute('data-preview-out'));
    var timer = null;
    function load() {
      var body = new URLSearchParams(new FormData(form));
      fetch(url, { method: 'POST', body: body, credentials: 'same-origin' })
        .then(function (res) {
          return res.text();
        })
        .then(function (html) {
          if (out) out.innerHTML = html;
        });
    }
    form.addEventListener('change', function () {
      clearTimeout(timer);
      timer = setTimeout(load, 400);
    });
  }

  document.querySelectorAll('[data-deadline]').forEach(countdown);
  // Word count: <p data-word-count="textarea id" data-text="… {words} …" data-limit="n">
  // shows how many words the textarea holds, counted as the server counts them (runs of
  // non-space), and marks it when over the limit (the server refuses such an answer).
  function wordCount(el) {
    var input = document.getElementById(el.getAttribute('data-word-count'));
    var text = el.getAttribute('data-text') || '';
    var limit = Number(el.getAttribute('data-limit')) || 0;
    if (!input) return;
    function show() {
      var n = input.value.split(/\s+/).filter(function (w) {
        return w !== '';
      }).length;
      el.textContent = text.replace('{words}', String(n));
      el.classList.toggle('over', limit > 0 && n > limit);
    }
    input.addEventListener('input', show);
    show();
  }

  // Reload: <div data-reload-in="seconds"> reloads the page then (the QR screen of a session
  // day, whose code rotates every minute); without script a <noscript> meta refresh does it.
  document.querySelectorAll('[data-reload-in]').forEach(function (el) {
    var seconds = Number(el.getAttribute('data-reload-in'));
    if (seconds > 0) {
      setTimeout(function () {
        window.location.reload();
      }, seconds * 1000);
    }
  });
  document.querySelectorAll('form[data-autosave]').forEach(autosave);
  document.querySelectorAll('[data-word-count]').forEach(wordCount);
  document.querySelectorAll('form[data-preview]').forEach(preview);
})();
