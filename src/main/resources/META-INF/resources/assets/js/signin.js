import { api, byId, remember, token, caller, ApiError } from './dashboard.js';

// Checks the token against the API before keeping it: a wrong one is never stored.
if (token() && caller()) {
  location.replace('/');
}
const form = byId('signin-form');
const error = byId('signin-error');
form.addEventListener('submit', async event => {
  event.preventDefault();
  error.hidden = true;
  const text = byId('token').value.trim();
  if (!text) {
    error.textContent = 'Enter a token.';
    error.hidden = false;
    return;
  }
  try {
    const who = await api('/whoami', { tokenText: text });
    remember(text, who);
    location.assign('/');
  } catch (e) {
    error.textContent = e instanceof ApiError && e.status === 401
      ? 'This token is unknown, revoked or expired.' : 'Sign-in failed: ' + e.message;
    error.hidden = false;
  }
});
byId('token').focus();
