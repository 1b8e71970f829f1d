# scripts/lib/results.sh: helpers shared by the scripts that turn hop's JSON records
# into results/ tables.  Source it; needs jq.

# fmt FILE KEY: "value ± stderr | bias bound" of results.KEY, rounded to 1e-6.
fmt() {
  jq -r --arg k "$2" '.results[$k] | "\(.value * 1e6 | round / 1e6) ± \(.stderr * 1e6 | round / 1e6) | \(if .bias_bound == null then "n/a" else (.bias_bound * 1e6 | round / 1e6 | tostring) end)"' "$1"
}

# components FILE: "f_x = … ± …, f_z = …" for the lattice's principal components.
components() {
  jq -r '[.results | to_entries[] | select(.key | test("^f_[xyz]$")) | "\(.key) = \(.value.value * 1e5 | round / 1e5) ± \(.value.stderr * 1e5 | round / 1e5)"] | join(", ")' "$1"
}

# reference LATTICE: the value f is compared with in the tables (docs/estimators.md, or the
# literature where marked).
reference() {
  case $1 in
    chain) echo "0 (exact)" ;; square) echo "0.46694220 = 1/(π−1)" ;; sc) echo "0.65310884" ;;
    bcc) echo "0.72719414" ;; fcc) echo "0.78145142" ;;
    triangular) echo "0.56006 (lit.)" ;; honeycomb) echo "1/3 (lit.)" ;; diamond) echo "1/2 (lit.)" ;;
    hcp) echo "f_x 0.78121, f_z 0.78146 (lit.)" ;; perovskite-O) echo "0.69 (lit., O vacancy)" ;; *) echo "—" ;;
  esac
}

# machine: the CPU model and core count of this machine, for table headers.
machine() {
  echo "$(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
}
