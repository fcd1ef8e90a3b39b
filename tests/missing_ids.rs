//! An answer holding an image object without a usable id, for every provider: the listing is
//! an error naming the provider and region (exit 5), never a shorter list with exit 0.

mod common;

use common::server::{Server, reply};
use common::{Auth, Sim, imgcat, region, stderr};
use imgcat::providers::ProviderId;

/// The answer of each API with one good image object and one without an id (`bad` is the
/// object that lacks it: missing, null, a number, empty).
fn answer(path: &str, body_of_post: bool, bad: &str) -> String {
    let body = if path.starts_with("/v3/projects") {
        r#"{"projects":[{"id":"0123456789abcdef0123456789abcdef","name":"cn-north-4"}]}"#
            .to_string()
    } else if path.starts_with("/v2/images") {
        format!(r#"{{"images":[{{"id":"a1","name":"ok"}},{bad}]}}"#)
    } else if path.contains("/cloud-phone/") {
        format!(
            r#"{{"phone_images":[{{"image_id":"a1","image_name":"ok"}},{bad}],"request_id":"r"}}"#
        )
    } else if path.starts_with("/v2/") && path.contains("/images") {
        format!(r#"{{"images":[{{"id":"a1","name":"ok"}},{bad}],"total_count":2}}"#)
    } else if path.starts_with("/v2/index.php") || (path == "/" && body_of_post) {
        format!(
            r#"{{"Response":{{"ImageSet":[{{"ImageId":"img-a1","ImageName":"ok"}},{bad}],"TotalCount":2,"RequestId":"rid-7"}}}}"#
        )
    } else {
        format!(
            r#"{{"requestId":"rid-7","response":{{"requestId":"rid-7","dataSet":[{{"imageId":"a1","imageName":"ok"}},{bad}],"totalCount":2}}}}"#
        )
    };
    reply("200 OK", "", &body)
}

#[test]
fn an_image_object_without_an_id_fails_every_provider() {
    let sim = Sim::with_images(1);
    for (bad_label, bad) in [
        (
            "missing",
            r#"{"name":"no id","ImageName":"no id","imageName":"no id","image_name":"no id"}"#,
        ),
        (
            "null",
            r#"{"id":null,"ImageId":null,"imageId":null,"image_id":null}"#,
        ),
        (
            "a number",
            r#"{"id":7,"ImageId":7,"imageId":7,"image_id":7}"#,
        ),
        (
            "empty",
            r#"{"id":"","ImageId":"","imageId":"","image_id":""}"#,
        ),
    ] {
        let server = Server::start(move |path| answer(path, path == "/", bad));
        for p in ProviderId::all() {
            let mut env: Vec<(String, String)> = sim
                .env(p, Auth::KeysWithProject)
                .into_iter()
                .filter(|(k, _)| !k.ends_with("IAM_ENDPOINT"))
                .collect();
            env.push(("HUAWEICLOUD_SDK_IAM_ENDPOINT".into(), server.url()));
            let out = imgcat(
                &env,
                [
                    "list",
                    "-p",
                    p.as_str(),
                    "-r",
                    region(p),
                    "--endpoint",
                    &server.url(),
                    "-o",
                    "json",
                    "--retries",
                    "0",
                ],
            );
            let err = stderr(&out);
            assert_eq!(out.status.code(), Some(5), "{p}, id {bad_label}: {err}");
            assert!(
                err.contains(&format!("{p} ({})", region(p))),
                "{p}: names provider and region: {err}"
            );
            assert!(
                err.contains("no usable")
                    || err.contains("no ImageId")
                    || err.contains("not an Image"),
                "{p}, id {bad_label}: {err}"
            );
        }
    }
}
