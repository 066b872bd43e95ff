//! Real servers for the production-path tests, each a child process on a free port of 127.0.0.1, stopped
//! when dropped: an S3-compatible store ([`S3Server`], moto) and an SMTP sink ([`SmtpSink`], aiosmtpd,
//! writing every message it accepts to a maildir).
//!
//! Both are Python programs from PyPI. The interpreter is `FINSAM_TEST_PYTHON` (a virtual environment's
//! python with `moto[server]` and `aiosmtpd`, as `scripts/test` makes it), else `python3`. A missing
//! module fails the test with the command that installs it: these tests never skip.

use crate::Mail;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The Python interpreter the servers run on.
pub fn python() -> String {
    std::env::var("FINSAM_TEST_PYTHON")
        .ok()
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| "python3".into())
}

const INSTALL: &str = "python3 -m venv ~/.cache/finsam-pyenv && \
~/.cache/finsam-pyenv/bin/pip install 'moto[server]' aiosmtpd && \
export FINSAM_TEST_PYTHON=~/.cache/finsam-pyenv/bin/python (scripts/test does this)";

/// Fails the test unless `module` can be imported.
fn require_module(module: &str, package: &str) {
    let py = python();
    let out = Command::new(&py)
        .args(["-c", &format!("import {module}")])
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run the Python interpreter {py:?} ({e}); set FINSAM_TEST_PYTHON or install: {INSTALL}")
        });
    assert!(
        out.status.success(),
        "{py} cannot import {module}: the test needs the PyPI package {package}. Install it: {INSTALL}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A port nothing listens on right now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// A child process that is killed when dropped, with its output in a log file.
struct Server {
    name: &'static str,
    child: Child,
    log: PathBuf,
}

impl Server {
    /// Starts `python args…` and waits (up to 60 s) until `port` accepts connections.
    async fn start(name: &'static str, dir: &Path, args: &[String], port: u16) -> Self {
        let log = dir.join(format!("{name}.log"));
        let out = std::fs::File::create(&log).expect("the server's log file");
        let child = Command::new(python())
            .args(args)
            .current_dir(dir)
            .stdin(Stdio::null())
            .stdout(out.try_clone().expect("log file"))
            .stderr(out)
            .spawn()
            .unwrap_or_else(|e| panic!("starting {name} with {}: {e}", python()));
        let mut server = Server { name, child, log };
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!(
                    "{name} exited ({status}) before accepting connections on port {port}:\n{}",
                    server.output()
                );
            }
            let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
            if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "{name} did not accept connections on port {port} within 60 s:\n{}",
                server.output()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        // The port was free when chosen; make sure it is our server that answers, not a neighbour's
        // that took the port first (ours would then have failed to bind and exited).
        tokio::time::sleep(Duration::from_millis(200)).await;
        if let Ok(Some(status)) = server.child.try_wait() {
            panic!("{name} exited ({status}) after start:\n{}", server.output());
        }
        server
    }

    fn output(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if std::thread::panicking() {
            eprintln!("--- {} output ---\n{}", self.name, self.output());
        }
    }
}

/// An S3-compatible server (moto) with no buckets yet; anything is accepted as credentials.
pub struct S3Server {
    /// `http://127.0.0.1:PORT`
    pub endpoint: String,
    server: Server,
    _dir: tempfile::TempDir,
}

impl S3Server {
    pub async fn start() -> Self {
        require_module("moto.server", "moto[server]");
        let dir = tempfile::tempdir().expect("a folder for the S3 server");
        let port = free_port();
        let args = [
            "-m",
            "moto.server",
            "-H",
            "127.0.0.1",
            "-p",
            &port.to_string(),
        ]
        .map(str::to_owned);
        let server = Server::start("moto (S3)", dir.path(), &args, port).await;
        S3Server {
            endpoint: format!("http://127.0.0.1:{port}"),
            server,
            _dir: dir,
        }
    }

    /// Creates a bucket, as any S3 client does: `PUT /{bucket}`.
    pub async fn create_bucket(&self, bucket: &str) {
        let resp = reqwest::Client::new()
            .put(format!("{}/{bucket}", self.endpoint))
            .send()
            .await
            .expect("the S3 server answers");
        assert!(
            resp.status().is_success(),
            "creating the bucket {bucket}: {} {}\n{}",
            resp.status(),
            resp.text().await.unwrap_or_default(),
            self.server.output()
        );
    }

    /// The connection settings an S3 client needs for this server, under the names of the `AWS_*`
    /// variables (lower case), as in production.
    pub fn options(&self) -> Vec<(String, String)> {
        [
            ("aws_endpoint", self.endpoint.as_str()),
            ("aws_region", "eu-north-1"),
            ("aws_access_key_id", "finsam-test"),
            ("aws_secret_access_key", "finsam-test-secret"),
            ("aws_allow_http", "true"),
            ("aws_virtual_hosted_style_request", "false"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
    }

    /// `s3://{bucket}/{prefix}` on this server.
    pub fn location(&self, bucket: &str, prefix: &str) -> finsam_storage::Location {
        let url = if prefix.is_empty() {
            format!("s3://{bucket}")
        } else {
            format!("s3://{bucket}/{prefix}")
        };
        finsam_storage::Location::parse(&url)
            .expect("a storage URL")
            .with_aws_options(self.options())
    }
}

/// An SMTP server (aiosmtpd) that answers every recipient with one fixed reply, such as
/// `550 5.1.1 Mailbox unavailable` (permanent) or `451 4.3.0 Try again later` (temporary): a relay
/// that refuses.
pub struct SmtpRefuser {
    pub port: u16,
    _server: Server,
    _dir: tempfile::TempDir,
}

/// The aiosmtpd handler of [`SmtpRefuser`]: the reply comes from the command line.
const REFUSE_HANDLER: &str = r#"
class Refuse:
    def __init__(self, reply):
        self.reply = reply

    @classmethod
    def from_cli(cls, parser, *args):
        return cls(" ".join(args))

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        return self.reply
"#;

impl SmtpRefuser {
    pub async fn start(reply: &str) -> Self {
        require_module("aiosmtpd", "aiosmtpd");
        let dir = tempfile::tempdir().expect("a folder for the SMTP server");
        // The server runs in `dir`, so `python -m` finds the handler's module there.
        std::fs::write(dir.path().join("finsam_refuse.py"), REFUSE_HANDLER).expect("the handler");
        let port = free_port();
        let mut args = vec![
            "-m".to_owned(),
            "aiosmtpd".to_owned(),
            "-n".to_owned(),
            "-l".to_owned(),
            format!("127.0.0.1:{port}"),
            "-c".to_owned(),
            "finsam_refuse.Refuse".to_owned(),
        ];
        args.extend(reply.split(' ').map(str::to_owned));
        let server = Server::start("aiosmtpd (refusing)", dir.path(), &args, port).await;
        SmtpRefuser {
            port,
            _server: server,
            _dir: dir,
        }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }
}

/// The aiosmtpd handler of [`SmtpSink::start_slow`]: a maildir that marks each message as being
/// received (a file `receiving-N` beside the maildir) and then takes `delay` seconds before it answers.
const SLOW_HANDLER: &str = r#"
import asyncio, itertools, pathlib
from aiosmtpd.handlers import Mailbox

class Slow(Mailbox):
    def __init__(self, maildir, delay):
        super().__init__(maildir)
        self.delay = float(delay)
        self.marks = pathlib.Path(maildir).parent
        self.count = itertools.count(1)

    @classmethod
    def from_cli(cls, parser, *args):
        return cls(args[0], args[1])

    async def handle_DATA(self, server, session, envelope):
        (self.marks / f"receiving-{next(self.count)}").write_text("")
        await asyncio.sleep(self.delay)
        return await super().handle_DATA(server, session, envelope)
"#;

/// An SMTP server (aiosmtpd) that accepts every message, without TLS or authentication, and writes it
/// to a maildir.
pub struct SmtpSink {
    pub port: u16,
    maildir: PathBuf,
    _server: Server,
    _dir: tempfile::TempDir,
}

impl SmtpSink {
    pub async fn start() -> Self {
        Self::start_with(None).await
    }

    /// A sink that takes `delay` to accept each message, so a test can act while a send is in flight
    /// ([`SmtpSink::receiving`] tells when one is).
    pub async fn start_slow(delay: std::time::Duration) -> Self {
        Self::start_with(Some(delay)).await
    }

    async fn start_with(delay: Option<std::time::Duration>) -> Self {
        require_module("aiosmtpd", "aiosmtpd");
        let dir = tempfile::tempdir().expect("a folder for the SMTP sink");
        let maildir = dir.path().join("maildir");
        for sub in ["tmp", "new", "cur"] {
            std::fs::create_dir_all(maildir.join(sub)).expect("the maildir");
        }
        let port = free_port();
        let mut args = vec![
            "-m".to_owned(),
            "aiosmtpd".to_owned(),
            "-n".to_owned(),
            "-l".to_owned(),
            format!("127.0.0.1:{port}"),
            "-c".to_owned(),
        ];
        match delay {
            None => args.push("aiosmtpd.handlers.Mailbox".to_owned()),
            Some(_) => {
                // The server runs in `dir`, so `python -m` finds the handler's module there.
                std::fs::write(dir.path().join("finsam_slow.py"), SLOW_HANDLER)
                    .expect("the handler");
                args.push("finsam_slow.Slow".to_owned());
            }
        }
        args.push(maildir.display().to_string());
        if let Some(d) = delay {
            args.push(d.as_secs_f64().to_string());
        }
        let server = Server::start("aiosmtpd (SMTP)", dir.path(), &args, port).await;
        SmtpSink {
            port,
            maildir,
            _server: server,
            _dir: dir,
        }
    }

    /// `smtp://127.0.0.1:PORT`: plain SMTP, as for a relay on the same host.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// How many messages the server has begun to receive (their DATA), whether or not it has answered
    /// yet; only counted by a sink from [`SmtpSink::start_slow`].
    pub fn receiving(&self) -> usize {
        std::fs::read_dir(self.maildir.parent().expect("the maildir's folder"))
            .map(|d| {
                d.filter_map(Result::ok)
                    .filter(|e| e.file_name().to_string_lossy().starts_with("receiving-"))
                    .count()
            })
            .unwrap_or(0)
    }

    /// Every message received so far, as stored (raw), oldest first.
    pub fn raw_messages(&self) -> Vec<Vec<u8>> {
        let mut files: Vec<(std::time::SystemTime, PathBuf)> = ["new", "cur"]
            .iter()
            .flat_map(|sub| {
                std::fs::read_dir(self.maildir.join(sub))
                    .into_iter()
                    .flatten()
            })
            .filter_map(|e| e.ok())
            .filter_map(|e| {
                let modified = e.metadata().ok()?.modified().ok()?;
                Some((modified, e.path()))
            })
            .collect();
        files.sort();
        files
            .into_iter()
            .filter_map(|(_, p)| std::fs::read(p).ok())
            .collect()
    }

    /// Every message received so far, parsed, oldest first.
    pub fn messages(&self) -> Vec<Mail> {
        self.raw_messages().iter().map(|m| Mail::parse(m)).collect()
    }

    /// Waits (up to 20 s) until a message to `to` whose subject contains `subject` has arrived.
    pub async fn wait_for(&self, to: &str, subject: &str) -> Mail {
        for _ in 0..200 {
            if let Some(m) = self
                .messages()
                .into_iter()
                .find(|m| m.to == to && m.subject.contains(subject))
            {
                return m;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!(
            "no e-mail to {to} about {subject:?} reached the SMTP sink; it has: {:?}",
            self.messages()
                .iter()
                .map(|m| (&m.to, &m.subject))
                .collect::<Vec<_>>()
        );
    }
}
