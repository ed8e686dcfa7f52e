// Exchanges the token for the dashboard's cookie: from the URL fragment
// (#token=..., never sent to a server) or typed in. The fragment is wiped
// from the address bar and history at once.
'use strict';
(function () {
  const message = document.getElementById('message');

  async function signIn(token) {
    const res = await fetch('/api/login', {
      method: 'POST',
      headers: { Authorization: 'Bearer ' + token },
      credentials: 'same-origin',
    });
    if (res.status === 204) {
      window.location.replace('/');
    } else {
      message.textContent = 'That token was refused.';
    }
  }

  const match = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
  history.replaceState(null, '', window.location.pathname);
  if (match) signIn(decodeURIComponent(match[1]));

  document.getElementById('login').addEventListener('submit', function (event) {
    event.preventDefault();
    signIn(document.getElementById('token').value.trim());
  });
})();
