//! The HTTP edge of Finsam: the Swedish web UI and the JSON API.
//!
//! - [`routes`]: the router as one flat list, each route with the access it needs ([`routes::route_list`]).
//! - [`extract`]: who is asking ([`extract::Auth`]) and in which förbund ([`extract::Tenant`]); the only
//!   way a handler reaches tenant data.
//! - [`service`]: sign-in, sessions, invitations and passwords, shared by API and pages.
//! - [`api`]: JSON handlers and the OpenAPI document; [`pages`]: HTML handlers; [`views`]: templates.
//! - [`security`]: CSRF and security headers; [`auth`]: hashing, tokens, throttling.
//! - [`error`]: one error type, answered as JSON or as a page.

pub mod api;
pub mod auth;
pub mod config;
pub mod error;
pub mod extract;
pub mod metrics;
pub mod pages;
pub mod routes;
pub mod security;
pub mod service;
pub mod state;
pub mod views;

pub use config::WebConfig;
pub use routes::{Access, RouteInfo, ops_router, route_list, router};
pub use state::AppState;
