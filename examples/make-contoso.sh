#!/usr/bin/env bash
# Makes the example deployment: examples/contoso/ (with deliberate faults, each marked FAULT in its
# snapshot) and examples/contoso-clean/ (the same deployment with the faults fixed). Both are committed;
# tests and the README use the committed files, so run this only to change the example.
#
# Needs bash and OpenSSL 3. Run it from anywhere. The output is reproducible except for the keys (and so
# the signatures and thumbprints), which are new on every run: fixed validity (2024-01-01 to 2049-12-31),
# fixed serial numbers, fixed names. PFX files are protected with the password "contoso" (3DES, which
# Windows Server 2012 R2 and 2016 can import); snapshots name it by the variable CONTOSO_PFX_PASSWORD.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
case "$(openssl version)" in
  "OpenSSL 3."*) ;;
  *) echo "make-contoso.sh needs OpenSSL 3 (found: $(openssl version))" >&2; exit 1 ;;
esac

PASSWORD=contoso
START=20240101000000Z
END=20491231235959Z
CONTOSO_PKI=http://pki.contoso.com/pki
NORTHWIND_PKI=http://crl.northwindtrust.com
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

# init_ca NAME FIRST_SERIAL: a CA's openssl ca configuration and database (fixed serials: reproducible).
init_ca() {
  mkdir -p "ca/$1/new"
  : > "ca/$1/index.txt"
  echo "$2" > "ca/$1/serial"
  cat > "ca/$1/ca.cnf" <<CONF
[ca]
default_ca = this
[this]
database = ca/$1/index.txt
new_certs_dir = ca/$1/new
serial = ca/$1/serial
policy = anything
unique_subject = no
copy_extensions = none
default_md = sha256
[anything]
countryName = optional
organizationName = optional
domainComponent = optional
commonName = supplied
CONF
}

# issue NAME SUBJECT CA|self BITS DIGEST EXTENSIONS: NAME.key, NAME.pem and NAME.cer (DER), valid START..END.
issue() {
  local name=$1 subject=$2 ca=$3 bits=$4 digest=$5 extensions=$6
  openssl req -new -newkey "rsa:$bits" -nodes -keyout "$name.key" -subj "$subject" -out "$name.csr" 2>/dev/null
  printf '[ext]\n%b\n' "$extensions" > "$name.ext"
  local signer=(-cert "$ca.pem" -keyfile "$ca.key" -config "ca/$ca/ca.cnf")
  if [ "$ca" = self ]; then signer=(-selfsign -keyfile "$name.key" -config "ca/$name/ca.cnf"); fi
  openssl ca -batch -notext -preserveDN "${signer[@]}" -in "$name.csr" -out "$name.pem" -md "$digest" \
    -startdate "$START" -enddate "$END" -extfile "$name.ext" -extensions ext 2>/dev/null
  openssl x509 -in "$name.pem" -outform DER -out "$name.cer"
}

# ca_extensions [PKI_URL ISSUER]: a CA's extensions; a root has no CRL or AIA of its own.
ca_extensions() {
  printf 'basicConstraints=critical,CA:TRUE%s\nkeyUsage=critical,keyCertSign,cRLSign,digitalSignature\nsubjectKeyIdentifier=hash' "${2:+,pathlen:0}"
  if [ $# -eq 2 ]; then
    printf '\nauthorityKeyIdentifier=keyid\ncrlDistributionPoints=URI:%s/%s.crl\nauthorityInfoAccess=caIssuers;URI:%s/%s.crt' "$1" "$2" "$1" "$2"
  fi
}

# server_extensions PKI_URL ISSUER DNS_NAME...: a web server certificate's extensions.
server_extensions() {
  local pki=$1 issuer=$2 sans
  shift 2
  sans=$(printf 'DNS:%s,' "$@")
  printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\nsubjectAltName=%s\ncrlDistributionPoints=URI:%s/%s.crl\nauthorityInfoAccess=caIssuers;URI:%s/%s.crt' \
    "${sans%,}" "$pki" "$issuer" "$pki" "$issuer"
}

# internal NAME CN BITS DIGEST [MORE_DNS_NAMES...]: a server certificate from Contoso's issuing CA, CN first in the SAN.
internal() {
  issue "$1" "/C=US/O=Contoso/CN=$2" contoso-issuing "$3" "$4" "$(server_extensions "$CONTOSO_PKI" Contoso-Issuing-CA-01 "$2" "${@:5}")"
}

# public NAME CN [MORE_DNS_NAMES...]: a server certificate from the public-like CA.
public() {
  issue "$1" "/C=US/O=Contoso/CN=$2" northwind-tls 2048 sha256 "$(server_extensions "$NORTHWIND_PKI" tls-rsa-2024 "${@:2}")"
}

# pfx NAME CA...: the certificate with its key and chain, as Windows exports it to copy it to another server.
pfx() {
  local name=$1
  shift
  cat "${@/%/.pem}" > "$name.chain.pem"
  openssl pkcs12 -export -in "$name.pem" -inkey "$name.key" -certfile "$name.chain.pem" -name "$name" \
    -keypbe PBE-SHA1-3DES -certpbe PBE-SHA1-3DES -macalg sha1 -passout "pass:$PASSWORD" -out "$name.pfx"
}

# The two PKIs: Contoso's internal CA (root and issuing CA), and a public-like CA for the Edge's external side.
init_ca contoso-root 1000
issue contoso-root '/DC=com/DC=contoso/CN=Contoso Root CA' self 4096 sha256 "$(ca_extensions)"
init_ca contoso-issuing 2000
issue contoso-issuing '/DC=com/DC=contoso/CN=Contoso Issuing CA 01' contoso-root 4096 sha256 "$(ca_extensions "$CONTOSO_PKI" Contoso-Root-CA)"
init_ca northwind-root 3000
issue northwind-root '/C=US/O=Northwind Trust/CN=Northwind Trust Root CA' self 4096 sha256 "$(ca_extensions)"
init_ca northwind-tls 4000
issue northwind-tls '/C=US/O=Northwind Trust/CN=Northwind Trust TLS RSA CA 2024' northwind-root 4096 sha256 "$(ca_extensions "$NORTHWIND_PKI" root)"

# Each Front End's certificate serves Default and both web services usages: pool, server, sip.<domain>, web and simple URLs.
WEB=(webext.contoso.com meet.contoso.com meet.fabrikam.com dialin.contoso.com admin.contoso.com
  lyncdiscoverinternal.contoso.com lyncdiscoverinternal.fabrikam.com lyncdiscover.contoso.com lyncdiscover.fabrikam.com)
for n in 01 02 03; do
  internal "fe$n" pool01.contoso.com 2048 sha256 "fe$n.contoso.com" sip.contoso.com sip.fabrikam.com "${WEB[@]}"
done
# The deployment's OAuthTokenIssuer certificate, and a faulty one whose Subject names no SIP domain.
internal oauth contoso.com 2048 sha256
issue oauth-no-sip-domain '/C=US/O=Contoso/CN=Lync Server OAuth' contoso-issuing 2048 sha256 \
  "$(server_extensions "$CONTOSO_PKI" Contoso-Issuing-CA-01 lync-oauth)"
DIRECTOR=(dir01.contoso.com dirweb.contoso.com meet.contoso.com meet.fabrikam.com dialin.contoso.com sip.contoso.com sip.fabrikam.com
  lyncdiscoverinternal.contoso.com lyncdiscoverinternal.fabrikam.com lyncdiscover.contoso.com lyncdiscover.fabrikam.com)
internal dir01 dirpool.contoso.com 2048 sha256 "${DIRECTOR[@]}"
internal dir01-sha1 dirpool.contoso.com 2048 sha1 "${DIRECTOR[@]}"
internal med01 med.contoso.com 2048 sha256 med01.contoso.com
internal med01-1024 med.contoso.com 1024 sha256 med01.contoso.com
internal edge-internal edgepool-int.contoso.com 2048 sha256
public edge-external sip.contoso.com webconf.contoso.com sip.fabrikam.com
public edge-av av.contoso.com

pfx edge-internal contoso-issuing contoso-root
pfx edge-external northwind-tls northwind-root
pfx edge-av northwind-tls northwind-root
# The CA chains as an administrator downloads them (certsrv's "Download CA certificate chain").
openssl crl2pkcs7 -nocrl -certfile contoso-root.pem -certfile contoso-issuing.pem -outform DER -out contoso-ca-chain.p7b
openssl crl2pkcs7 -nocrl -certfile northwind-root.pem -certfile northwind-tls.pem -outform DER -out northwind-ca-chain.p7b

tp() { openssl x509 -inform DER -in "$1.cer" -noout -fingerprint -sha1 | cut -d= -f2 | tr -d :; }

# What each thumbprint is, written beside it in the snapshots: its subject's CN and the file that holds it.
declare -A LABEL
describe() { # NAME FILE
  LABEL[$(tp "$1")]="$(openssl x509 -inform DER -in "$1.cer" -noout -subject -nameopt multiline | sed -n 's/^ *commonName *= //p'), $2"
}
for ca in contoso-root contoso-issuing; do describe $ca certs/contoso-ca-chain.p7b; done
for ca in northwind-root northwind-tls; do describe $ca certs/northwind-ca-chain.p7b; done
for name in fe01 fe02 fe03 oauth oauth-no-sip-domain dir01 dir01-sha1 med01 med01-1024; do describe $name "certs/$name.cer"; done
for name in edge-internal edge-external edge-av; do describe $name "edge/$name.pfx"; done

# personal THUMBPRINT=EXPORTABLE...: Personal store entries, at the depth of pools[].servers[].stores.personal[].
personal() {
  local entry
  for entry in "$@"; do
    printf '            - thumbprint: %s # %s\n              hasPrivateKey: true\n              exportable: %s\n              keyProvider: CSP\n              providerName: Microsoft RSA SChannel Cryptographic Provider\n' \
      "${entry%%=*}" "${LABEL[${entry%%=*}]}" "${entry#*=}"
  done
}

# cas THUMBPRINT...: the entries of a Root or Intermediate store.
cas() {
  local tp
  for tp in "$@"; do printf '            - thumbprint: %s # %s\n' "$tp" "${LABEL[$tp]}"; done
}

# server FQDN "USAGE=THUMBPRINT..." "THUMBPRINT=EXPORTABLE..." "ROOT_THUMBPRINTS" "INTERMEDIATE_THUMBPRINTS" [USAGE NOTE] [ROOT_NOTE]:
# a server of the snapshot, with a comment line above the assignment of USAGE and above the Root store.
server() {
  local fqdn=$1 assignments=$2 personal_entries=$3 roots=$4 intermediates=$5 note_usage=${6:-} note=${7:-} root_note=${8:-} a
  printf '      - fqdn: %s\n        assignments:\n' "$fqdn"
  for a in $assignments; do
    if [ -n "$note" ] && [ "${a%%=*}" = "$note_usage" ]; then printf '          # %s\n' "$note"; fi
    printf '          - usage: %s\n            thumbprint: %s # %s\n' "${a%%=*}" "${a#*=}" "${LABEL[${a#*=}]}"
  done
  printf '        stores:\n          personal:\n'
  personal $personal_entries
  if [ -n "$root_note" ]; then printf '          # %s\n' "$root_note"; fi
  printf '          root:\n'
  cas $roots
  printf '          intermediate:\n'
  cas $intermediates
}

# pool FQDN ROLE EXTRA_LINES: a pool's header, up to its servers.
pool() {
  printf '  - fqdn: %s\n    role: %s\n    site: 1\n%s    servers:\n' "$1" "$2" "$3"
}

# The configuration beside each snapshot: which roots count as public.
public_roots_config() {
  cat <<'YAML'
# Northwind Trust, which issued the Edge external certificates, plays a public CA in this example: its
# root counts as publicly trusted, as federation partners trust a real public CA's (publicRoots in
# docs/configuration.md; rule external-certificate-public-ca).
publicRoots:
  add:
    - public-roots/northwind-trust-root-ca.cer
YAML
}

# snapshot VARIANT: examples/VARIANT/ with its snapshot and certificate files (contoso: faulty; contoso-clean: fixed).
snapshot() {
  local variant=$1 dir="$here/$1" faulty=false
  if [ "$variant" = contoso ]; then faulty=true; fi
  rm -rf "$dir"
  mkdir -p "$dir/certs" "$dir/edge" "$dir/public-roots"
  cp contoso-ca-chain.p7b northwind-ca-chain.p7b fe01.cer fe02.cer fe03.cer oauth.cer "$dir/certs/"
  cp edge-internal.pfx edge-external.pfx edge-av.pfx "$dir/edge/"
  # Northwind Trust plays the public CA: its root counts as publicly trusted for this deployment, as a
  # real public CA's would (external-certificate-public-ca).
  openssl x509 -in northwind-root.pem -outform DER -out "$dir/public-roots/northwind-trust-root-ca.cer"
  public_roots_config > "$dir/sfb-certlint.config.yaml"

  local root_c root_n issuing_c issuing_n oauth edge_int edge_ext edge_av
  root_c=$(tp contoso-root) root_n=$(tp northwind-root) issuing_c=$(tp contoso-issuing) issuing_n=$(tp northwind-tls)
  oauth=$(tp oauth) edge_int=$(tp edge-internal) edge_ext=$(tp edge-external) edge_av=$(tp edge-av)
  # The faults, each noted above what it concerns; the clean variant has none.
  local oauth_fe dir01 med01 title av_exportable=true edge02_roots="$root_c $root_n"
  local n_oauth='' n_oauth_fe03='' n_dir='' n_med='' n_av='' n_edge_root=''
  if $faulty; then
    cp oauth-no-sip-domain.cer dir01-sha1.cer med01-1024.cer "$dir/certs/"
    oauth_fe=$(tp oauth-no-sip-domain) dir01=$(tp dir01-sha1) med01=$(tp med01-1024)
    title='with deliberate faults, each marked FAULT (rule id) below'
    n_oauth='FAULT (sip-domain-in-subject): the OAuthTokenIssuer certificate of fe01, fe02 and dir01 has the Subject CN=Lync Server OAuth, which names no SIP domain.'
    n_oauth_fe03='FAULT (oauth-same-certificate): fe03 has another OAuthTokenIssuer certificate than fe01, fe02 and dir01; it is global and must be the same everywhere.'
    n_dir="FAULT (signature-sha2): the Director's Default certificate is signed with SHA-1 (sha1WithRSAEncryption)."
    n_med="FAULT (key-size): the Mediation Server's Default certificate has a 1024-bit RSA key."
    n_av='FAULT (private-key-exportable): on edge01 the A/V authentication key is not exportable (its Personal store entry says exportable: false).'
    n_edge_root='FAULT (trusted-root-present): edge02 does not trust Contoso Root CA, which issued every internal certificate.'
    av_exportable=false edge02_roots=$root_n
  else
    cp dir01.cer med01.cer "$dir/certs/"
    oauth_fe=$oauth dir01=$(tp dir01) med01=$(tp med01)
    title='the faults of ../contoso/snapshot.yaml fixed'
  fi
  local cas_internal=("$root_c $root_n" "$issuing_c") cas_edge=("$issuing_c $issuing_n")
  local edge_assignments="Internal=$edge_int AccessEdgeExternal=$edge_ext DataEdgeExternal=$edge_ext AudioVideoAuthentication=$edge_av"
  local n fe oa

  {
    cat <<YAML
# yaml-language-server: \$schema=../../schema/snapshot.schema.json
#
# The Contoso example deployment, $title.
# Made by examples/make-contoso.sh. The .pfx password is in the variable CONTOSO_PFX_PASSWORD (it is "contoso").
version: 1
name: Contoso$($faulty && echo ' (with faults)' || true)
sipDomains:
  - name: contoso.com
    default: true
  - name: fabrikam.com
simpleUrls:
  meet:
    - domain: contoso.com
      url: https://meet.contoso.com
    - domain: fabrikam.com
      url: https://meet.fabrikam.com
  dialin:
    - https://dialin.contoso.com
  admin:
    - https://admin.contoso.com
sites:
  - id: 1
    name: Redmond
certificates:
  # The CA chains and the internal servers' certificates (DER .cer, PKCS #7 .p7b).
  - path: certs/
  # The Edge certificates, exported with their keys to copy them to both Edge servers.
  - path: edge/
    passwordEnv: CONTOSO_PFX_PASSWORD
pools:
YAML
    pool pool01.contoso.com FrontEnd $'    webServices:\n      internalFqdn: pool01.contoso.com\n      externalFqdn: webext.contoso.com\n'
    for n in 01 02 03; do
      fe=$(tp "fe$n") oa=$oauth_fe
      if [ $n = 03 ]; then oa=$oauth; fi
      local note=$n_oauth
      if [ $n = 02 ]; then note=''; elif [ $n = 03 ]; then note=$n_oauth_fe03; fi
      server "fe$n.contoso.com" "Default=$fe WebServicesInternal=$fe WebServicesExternal=$fe OAuthTokenIssuer=$oa" \
        "$fe=false $oa=true" "${cas_internal[@]}" OAuthTokenIssuer "$note"
    done
    pool dirpool.contoso.com Director $'    webServices:\n      internalFqdn: dirpool.contoso.com\n      externalFqdn: dirweb.contoso.com\n'
    server dir01.contoso.com "Default=$dir01 WebServicesInternal=$dir01 WebServicesExternal=$dir01 OAuthTokenIssuer=$oauth_fe" \
      "$dir01=false $oauth_fe=true" "${cas_internal[@]}" Default "$n_dir"
    pool edgepool.contoso.com Edge $'    edge:\n      internalFqdn: edgepool-int.contoso.com\n      accessEdgeFqdn: sip.contoso.com\n      webConferencingEdgeFqdn: webconf.contoso.com\n      avEdgeFqdn: av.contoso.com\n'
    server edge01.contoso.com "$edge_assignments" "$edge_int=true $edge_ext=true $edge_av=$av_exportable" "$root_c $root_n" "${cas_edge[@]}" \
      AudioVideoAuthentication "$n_av"
    server edge02.contoso.com "$edge_assignments" "$edge_int=true $edge_ext=true $edge_av=true" "$edge02_roots" "${cas_edge[@]}" '' '' "$n_edge_root"
    pool med.contoso.com Mediation ''
    server med01.contoso.com "Default=$med01" "$med01=false" "${cas_internal[@]}" Default "$n_med"
  } > "$dir/snapshot.yaml"
  echo "wrote $dir"
}

snapshot contoso
snapshot contoso-clean
