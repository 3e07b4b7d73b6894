//! The OpenID Connect conversation with a directory (the `openidconnect` crate): discovery from
//! the issuer, the authorization URL with PKCE (S256), state and nonce, then the code exchange
//! and the ID token's checks (signature, issuer, audience, expiry, nonce). Its HTTP client never
//! follows a redirect (the crate's advice against SSRF: a directory cannot bounce the server to
//! an internal address).

use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata};
use openidconnect::{
    reqwest, AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce,
    PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope, TokenResponse,
};
use std::time::Duration;

/// What the server knows of one directory connection (the secret already opened).
pub struct Directory<'a> {
    pub issuer: &'a str,
    pub client_id: &'a str,
    pub client_secret: &'a str,
    pub redirect_url: &'a str,
}

/// A login to send the browser to: the URL and what the callback will need.
pub struct Started {
    pub url: String,
    pub state: String,
    pub pkce_verifier: String,
    pub nonce: String,
}

/// The claims of a verified ID token that the portal uses or shows.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct Claims {
    pub issuer: String,
    pub subject: String,
    pub email: Option<String>,
    pub email_verified: Option<bool>,
    pub name: Option<String>,
    pub audience: Vec<String>,
    pub issued_at: i64,
    pub expires_at: i64,
}

fn http() -> Result<reqwest::Client, String> {
    reqwest::ClientBuilder::new()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .map_err(|e| format!("HTTP client: {e}"))
}

async fn client(
    directory: &Directory<'_>,
    http: &reqwest::Client,
) -> Result<
    CoreClient<
        openidconnect::EndpointSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointMaybeSet,
        openidconnect::EndpointMaybeSet,
    >,
    String,
> {
    let issuer = IssuerUrl::new(directory.issuer.to_owned()).map_err(|e| e.to_string())?;
    // Discovery also checks that the document names this very issuer.
    let metadata = CoreProviderMetadata::discover_async(issuer, http)
        .await
        .map_err(|e| format!("discovery failed: {}", chain(&e)))?;
    let redirect =
        RedirectUrl::new(directory.redirect_url.to_owned()).map_err(|e| e.to_string())?;
    Ok(CoreClient::from_provider_metadata(
        metadata,
        ClientId::new(directory.client_id.to_owned()),
        Some(ClientSecret::new(directory.client_secret.to_owned())),
    )
    .set_redirect_uri(redirect))
}

/// An error and its causes on one line (no secret is ever part of them).
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}

/// Discovers the directory and makes the authorization URL (PKCE S256, random state and nonce).
pub async fn start(directory: &Directory<'_>, login_hint: Option<&str>) -> Result<Started, String> {
    let http = http()?;
    let client = client(directory, &http).await?;
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let mut request = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("email".to_owned()))
        .add_scope(Scope::new("profile".to_owned()))
        .set_pkce_challenge(challenge);
    if let Some(hint) = login_hint {
        request = request.add_extra_param("login_hint", hint.to_owned());
    }
    let (url, state, nonce) = request.url();
    Ok(Started {
        url: url.to_string(),
        state: state.secret().clone(),
        pkce_verifier: verifier.secret().clone(),
        nonce: nonce.secret().clone(),
    })
}

/// Exchanges the code (with the PKCE verifier) and verifies the ID token against this
/// connection: its signature with the directory's published keys, issuer, audience (this client
/// id), expiry and the nonce this login sent.
pub async fn finish(
    directory: &Directory<'_>,
    code: &str,
    pkce_verifier: &str,
    nonce: &str,
) -> Result<Claims, String> {
    let http = http()?;
    let client = client(directory, &http).await?;
    let response = client
        .exchange_code(AuthorizationCode::new(code.to_owned()))
        .map_err(|e| e.to_string())?
        .set_pkce_verifier(PkceCodeVerifier::new(pkce_verifier.to_owned()))
        .request_async(&http)
        .await
        .map_err(|e| format!("the code exchange failed: {}", chain(&e)))?;
    let token = response
        .id_token()
        .ok_or_else(|| "the directory sent no ID token".to_owned())?;
    let verifier = client.id_token_verifier();
    let claims = token
        .claims(&verifier, &Nonce::new(nonce.to_owned()))
        .map_err(|e| format!("the ID token was refused: {}", chain(&e)))?;
    Ok(Claims {
        issuer: claims.issuer().as_str().to_owned(),
        subject: claims.subject().as_str().to_owned(),
        email: claims.email().map(|e| e.as_str().to_owned()),
        email_verified: claims.email_verified(),
        name: claims
            .name()
            .and_then(|n| n.get(None))
            .map(|n| n.as_str().to_owned()),
        audience: claims
            .audiences()
            .iter()
            .map(|a| a.as_str().to_owned())
            .collect(),
        issued_at: claims.issue_time().timestamp(),
        expires_at: claims.expiration().timestamp(),
    })
}
