#!/usr/bin/env bash
# Records Terraform's own answer for fixture modules: `terraform plan` + `terraform show -json`,
# offline, with the local copy of the AWS provider and fake credentials. The resulting plan.json
# files are committed as fixtures, so tests never need terraform.
#
# Usage: scripts/record-plans.sh [DIR...]
#   Without DIRs, every module folder under fixtures/terraform-plan/ (one with a .tf file) is recorded.
#   Each DIR is a root module without data sources. A `plan.args` file in DIR holds extra
#   `terraform plan` arguments, one per line (`-var=name=value`, `-var-file=x.tfvars`): the oracle
#   test passes the same ones to sgscan, so the recorded -var precedence is the tested one.
# Env:   TF_PLUGIN_DIR (default /opt/tf-plugins)
set -euo pipefail
plugins="${TF_PLUGIN_DIR:-/opt/tf-plugins}"
here=$(cd "$(dirname "$0")/.." && pwd)
if [ "$#" -eq 0 ]; then
  set --
  for d in "$here"/fixtures/terraform-plan/*/; do
    { compgen -G "$d*.tf" >/dev/null || compgen -G "$d*.tf.json" >/dev/null; } && set -- "$@" "${d%/}"
  done
fi
for dir in "$@"; do
  work=$(mktemp -d)
  cp -r "$dir"/. "$work"/
  rm -f "$work/plan.json"
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
  args=()
  if [ -f "$dir/plan.args" ]; then
    while IFS= read -r line || [ -n "$line" ]; do [ -n "$line" ] && args+=("$line"); done < "$dir/plan.args"
  fi
  if ! (
    cd "$work"
    export TF_IN_AUTOMATION=1 TF_CLI_CONFIG_FILE=/dev/null
    terraform init -plugin-dir="$plugins" -input=false -no-color >/dev/null
    terraform plan -refresh=false -input=false -no-color "${args[@]}" -out=tf.plan >/dev/null
    # Machine-specific data: the timestamp, and the temporary folder wherever a path shows it
    # (path.cwd, absolute module paths). Both are dropped so re-recording gives the same bytes.
    terraform show -json tf.plan | WORK="$work" node -e '
      let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
        const p = JSON.parse(s); delete p.timestamp;
        const out = JSON.stringify(p, null, 1).split(process.env.WORK).join(".");
        process.stdout.write(out + "\n");
      });'
  ) > "$work/plan.json.out"; then
    echo "FAILED $dir" >&2
    rm -rf "$work"
    continue
  fi
  mv "$work/plan.json.out" "$dir/plan.json"
  rm -rf "$work"
  echo "recorded $dir/plan.json"
done
