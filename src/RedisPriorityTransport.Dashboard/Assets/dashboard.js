// RedisPriorityTransport dashboard: live refresh of [data-live] regions and "select all" boxes. The pages work without it.
(function () {
  'use strict';
  var regions = document.querySelectorAll('[data-live]');
  var status = document.querySelector('[data-refresh-status]');
  var seconds = regions.length ? parseInt(regions[0].getAttribute('data-live'), 10) : 0;
  var busy = false;

  function setStatus(text) { if (status) { status.textContent = text; } }

  function typing() {
    var el = document.activeElement;
    return el && el.closest && el.closest('[data-live]') && /^(INPUT|SELECT|TEXTAREA)$/.test(el.tagName);
  }

  function refresh() {
    if (busy || document.hidden || typing()) { return; }
    busy = true;
    fetch(location.href, { headers: { 'X-Dashboard-Refresh': '1' }, credentials: 'same-origin', cache: 'no-store' })
      .then(function (response) {
        if (!response.ok) { throw new Error('HTTP ' + response.status); }
        return response.text();
      })
      .then(function (text) {
        // DOMParser never runs scripts; the server encoded every value it wrote.
        var fresh = new DOMParser().parseFromString(text, 'text/html');
        document.querySelectorAll('[data-live]').forEach(function (region) {
          var next = region.id && fresh.getElementById(region.id);
          if (next) { region.replaceWith(document.importNode(next, true)); }
        });
        setStatus('updated ' + new Date().toLocaleTimeString() + ', every ' + seconds + ' s');
      })
      .catch(function (error) { setStatus('refresh failed (' + error.message + '); trying again'); })
      .then(function () { busy = false; });
  }

  if (seconds > 0) { setInterval(refresh, seconds * 1000); }

  document.addEventListener('change', function (event) {
    var box = event.target;
    if (!box.matches || !box.matches('input[data-select-all]')) { return; }
    document.querySelectorAll('input[type=checkbox][form="' + box.getAttribute('data-select-all') + '"]')
      .forEach(function (other) { other.checked = box.checked; });
  });
})();
