#!/usr/bin/env bash
# Records Terraform's own answer for fixture modules: `terraform plan` + `terraform show -json`,
# offline, with the local copy of the AWS provider and fake credentials. The resulting plan.json
# files are committed as fixtures, so tests never need terraform.
#
# Usage: scripts/record-plans.sh DIR...    (each DIR is a root module without data sources)
# Env:   TF_PLUGIN_DIR (default /opt/tf-plugins)
set -euo pipefail
plugins="${TF_PLUGIN_DIR:-/opt/tf-plugins}"
for dir in "$@"; do
  work=$(mktemp -d)
  cp -r "$dir"/. "$work"/
  cat > "$work/zz_provider_override.tf" <<'TF'
provider "aws" {
  region                      = "us-east-1"
  access_key                  = "AKIAFAKEFAKEFAKEFAKE"
  secret_key                  = "fake"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}
TF
  (
    cd "$work"
    export TF_IN_AUTOMATION=1 TF_CLI_CONFIG_FILE=/dev/null
    terraform init -plugin-dir="$plugins" -input=false -no-color >/dev/null
    terraform plan -refresh=false -input=false -no-color -out=tf.plan >/dev/null
    # The timestamp is the only nondeterministic field; drop it so re-recording gives the same bytes.
    terraform show -json tf.plan | node -e '
      let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
        const p = JSON.parse(s); delete p.timestamp;
        process.stdout.write(JSON.stringify(p, null, 1) + "\n");
      });'
  ) > "$dir/plan.json"
  rm -rf "$work"
  echo "recorded $dir/plan.json"
done
