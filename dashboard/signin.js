// Sign-in with the authorization code flow and PKCE through oidc-client-ts (its browser build,
// served from node_modules as `vendor/oidc-client-ts.min.js`, global `oidc`). Deployed, the
// authority is the Cognito user pool and people sign in on its hosted UI; locally it is the local
// issuer (`/_local/oidc`), whose authorize page lets you pick a development user. The API takes the
// ID token as the bearer (it carries `cognito:groups`, `custom:region`, `custom:province`).

/** The page's own address, without the sign-in answer (`?code=…&state=…`). */
const pageUrl = () => `${window.location.origin}${window.location.pathname}`;

/**
 * Builds the UserManager from config.json's `oidc`, completes a sign-in that just came back, and
 * returns the signed-in session (or none). `oidc` null (no sign-in configured) → no session.
 */
export async function setupSignIn(settings) {
  if (!settings || typeof window.oidc?.UserManager !== 'function') {
    return { user: null, signIn: async () => {}, signOut: async () => {}, available: false };
  }
  const redirect = settings.redirectUri ?? pageUrl();
  const manager = new window.oidc.UserManager({
    // Relative locally (`/_local/oidc`): resolved against the page.
    authority: new URL(settings.authority, window.location.href).href.replace(/\/+$/, ''),
    client_id: settings.clientId,
    redirect_uri: redirect,
    post_logout_redirect_uri: redirect,
    response_type: 'code',
    scope: settings.scope ?? 'openid email profile',
    loadUserInfo: false,
    automaticSilentRenew: false,
    // The session ends with the tab (tokens never in localStorage).
    userStore: new window.oidc.WebStorageStateStore({ store: window.sessionStorage }),
    stateStore: new window.oidc.WebStorageStateStore({ store: window.sessionStorage }),
    ...(settings.endSessionEndpoint
      ? { metadataSeed: { end_session_endpoint: settings.endSessionEndpoint } }
      : {}),
  });

  const url = new URL(window.location.href);
  if (url.searchParams.has('code') && url.searchParams.has('state')) {
    const signedIn = await manager.signinRedirectCallback();
    // Back to where the person was (cycle, region), without the code in the address bar or history.
    const back = typeof signedIn.state?.returnTo === 'string' ? signedIn.state.returnTo : pageUrl();
    window.history.replaceState(
      null,
      '',
      new URL(back, window.location.href).origin === window.location.origin ? back : pageUrl(),
    );
  } else if (url.searchParams.has('error') && url.searchParams.has('state')) {
    url.searchParams.delete('error');
    url.searchParams.delete('error_description');
    url.searchParams.delete('state');
    window.history.replaceState(null, '', url);
  }
  const user = await manager.getUser();
  return {
    available: true,
    user: user && !user.expired ? user : null,
    signIn: () => manager.signinRedirect({ state: { returnTo: window.location.href } }),
    // Cognito's /logout wants `logout_uri` (and client_id, which oidc-client-ts sends).
    signOut: async () => {
      await manager.removeUser();
      await manager.signoutRedirect({ extraQueryParams: { logout_uri: redirect } });
    },
  };
}
