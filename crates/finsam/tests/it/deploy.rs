//! The deployment files in `deploy/`: Docker Compose and the Kubernetes manifests parse and describe
//! the shape docs/operations.md promises (two servers, two workers, the services, probes, a migration
//! step, non-root containers). Docker and Kubernetes do not run on the test machine; what can be
//! checked here is checked.

use serde_yaml::Value;
use std::path::{Path, PathBuf};

fn deploy_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../deploy")
}

fn documents(path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path).unwrap();
    serde_yaml::Deserializer::from_str(&text)
        .map(|d| {
            <Value as serde::Deserialize>::deserialize(d)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        })
        .collect()
}

fn s<'a>(v: &'a Value, path: &[&str]) -> &'a Value {
    path.iter().fold(v, |v, k| &v[*k])
}

#[test]
fn the_compose_file_runs_two_servers_two_workers_and_the_services() {
    let mut docs = documents(&deploy_dir().join("compose.yaml"));
    assert_eq!(docs.len(), 1);
    // `<<: *finsam`: the shared settings are merged into each Finsam service, as Compose does.
    docs[0].apply_merge().unwrap();
    let services = &docs[0]["services"];
    for name in [
        "postgres",
        "s3",
        "s3-bucket",
        "mail",
        "migrate",
        "server",
        "worker",
    ] {
        assert!(services[name].is_mapping(), "service {name}");
    }
    assert_eq!(
        s(services, &["server", "deploy", "replicas"]).as_u64(),
        Some(2)
    );
    assert_eq!(
        s(services, &["worker", "deploy", "replicas"]).as_u64(),
        Some(2)
    );
    assert_eq!(services["migrate"]["command"][0].as_str(), Some("migrate"));
    assert_eq!(services["worker"]["command"][0].as_str(), Some("worker"));
    // The shared environment (a YAML merge key) reaches every Finsam service.
    let env = &services["server"]["environment"];
    for key in [
        "FINSAM_DATABASE_URL",
        "FINSAM_JWT_SECRET",
        "FINSAM_STORAGE_URL",
        "FINSAM_SMTP_URL",
        "AWS_ENDPOINT",
    ] {
        assert!(env[key].is_string(), "{key} in the environment");
    }
    assert!(
        env["FINSAM_DATABASE_URL"]
            .as_str()
            .unwrap()
            .starts_with("postgres://finsam_app:")
    );
    // Only the migration knows the owner; the application's role is made by the init script.
    assert!(env["FINSAM_DATABASE_OWNER_URL"].is_null());
    let migrate_env = &services["migrate"]["environment"];
    assert!(
        migrate_env["FINSAM_DATABASE_OWNER_URL"]
            .as_str()
            .unwrap()
            .starts_with("postgres://finsam:")
    );
    assert_eq!(
        migrate_env["FINSAM_JWT_SECRET"], env["FINSAM_JWT_SECRET"],
        "the migrate service keeps the shared environment"
    );
    let init = std::fs::read_to_string(deploy_dir().join("postgres-init.sql")).unwrap();
    assert!(init.contains("CREATE ROLE finsam_app LOGIN"), "{init}");
    assert!(
        services["postgres"]["volumes"]
            .as_sequence()
            .unwrap()
            .iter()
            .any(|v| v.as_str().unwrap().starts_with("./postgres-init.sql:")),
        "the init script is mounted"
    );
    assert!(
        env["FINSAM_STORAGE_URL"]
            .as_str()
            .unwrap()
            .starts_with("s3://")
    );
}

#[test]
fn the_kubernetes_manifests_have_deployments_probes_a_migration_job_and_no_root() {
    let mut docs = Vec::new();
    for f in std::fs::read_dir(deploy_dir().join("kubernetes")).unwrap() {
        let p = f.unwrap().path();
        if p.extension().is_some_and(|e| e == "yaml") {
            docs.extend(documents(&p));
        }
    }
    let of = |kind: &str| -> Vec<&Value> {
        docs.iter()
            .filter(|d| d["kind"].as_str() == Some(kind))
            .collect()
    };
    assert_eq!(of("ConfigMap").len(), 1);
    // The application's Secret, and the owner's, which only the migration Job reads.
    let secrets = of("Secret");
    assert_eq!(secrets.len(), 2);
    let names: Vec<_> = secrets
        .iter()
        .map(|s| s["metadata"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["finsam", "finsam-owner"]);
    assert!(secrets[1]["stringData"]["FINSAM_DATABASE_OWNER_URL"].is_string());
    assert!(secrets[0]["stringData"]["FINSAM_DATABASE_OWNER_URL"].is_null());
    assert_eq!(of("Service").len(), 1);
    let job = of("Job");
    assert_eq!(job.len(), 1);
    let migrate = &s(job[0], &["spec", "template", "spec", "containers"])[0];
    assert_eq!(migrate["args"][0].as_str(), Some("migrate"));
    let job_secrets: Vec<&str> = migrate["envFrom"]
        .as_sequence()
        .unwrap()
        .iter()
        .filter_map(|r| r["secretRef"]["name"].as_str())
        .collect();
    assert_eq!(job_secrets, ["finsam", "finsam-owner"]);
    let deployments = of("Deployment");
    assert_eq!(deployments.len(), 2);
    for d in deployments {
        let name = d["metadata"]["name"].as_str().unwrap();
        assert_eq!(d["spec"]["replicas"].as_u64(), Some(2), "{name}");
        let pod = s(d, &["spec", "template", "spec"]);
        assert_eq!(
            pod["securityContext"]["runAsNonRoot"].as_bool(),
            Some(true),
            "{name}"
        );
        let c = &pod["containers"][0];
        assert_eq!(
            c["readinessProbe"]["httpGet"]["path"].as_str(),
            Some("/readyz"),
            "{name}"
        );
        assert_eq!(
            c["livenessProbe"]["httpGet"]["path"].as_str(),
            Some("/healthz"),
            "{name}"
        );
        assert!(
            c["resources"]["requests"]["cpu"].is_string(),
            "{name} requests"
        );
        assert!(
            c["resources"]["requests"]["memory"].is_string(),
            "{name} requests"
        );
        let refs: Vec<&str> = c["envFrom"]
            .as_sequence()
            .unwrap()
            .iter()
            .filter_map(|r| {
                r["configMapRef"]["name"]
                    .as_str()
                    .or(r["secretRef"]["name"].as_str())
            })
            .collect();
        assert_eq!(
            refs,
            ["finsam", "finsam"],
            "{name} reads the ConfigMap and the Secret"
        );
    }
}

/// The environment the manifests give a Finsam container: the ConfigMap's data and the Secret's.
pub fn manifest_environment() -> Vec<(String, String)> {
    let docs = documents(&deploy_dir().join("kubernetes/config.yaml"));
    let mut env = Vec::new();
    // What the Deployments read: the ConfigMap and the Secret named finsam (not the owner's).
    for d in docs
        .iter()
        .filter(|d| d["metadata"]["name"].as_str() == Some("finsam"))
    {
        let map = if d["kind"].as_str() == Some("Secret") {
            &d["stringData"]
        } else {
            &d["data"]
        };
        for (k, v) in map.as_mapping().unwrap() {
            env.push((
                k.as_str().unwrap().to_owned(),
                v.as_str().unwrap().to_owned(),
            ));
        }
    }
    env
}

#[test]
fn the_systemd_unit_runs_serve_as_an_unprivileged_user() {
    let unit = std::fs::read_to_string(deploy_dir().join("systemd/finsam.service")).unwrap();
    for line in [
        "ExecStart=/usr/local/bin/finsam serve",
        "KillSignal=SIGTERM",
        "NoNewPrivileges=yes",
        "StateDirectory=finsam",
    ] {
        assert!(unit.lines().any(|l| l == line), "{line}");
    }
    assert!(!unit.lines().any(|l| l.starts_with("User=root")));
}
