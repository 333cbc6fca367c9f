"""XML signatures (W3C XML-DSig, enveloped, RSA or ECDSA with SHA-256) with the platform's
certificates, for messages that other systems check: the edXML packages of QCVN 102:2016
exchanged between agencies carry one in their header.

Signing uses signxml with the certificate's key opened from the keystore; verifying checks the
signature against the certificate it carries and then the certificate itself against the
platform's trust store, now (trust path, CRL or OCSP), as PDF signatures are checked. The data
handed back by :func:`verify` is only what the signature covers (no wrapping attack).
"""

import base64
from dataclasses import dataclass

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from lxml import etree
from signxml import (
    InvalidInput,
    InvalidSignature,
    SignatureConfiguration,
    SignatureMethod,
    XMLSigner,
    XMLVerifier,
    methods,
)

from egov.signatures import keystore, signing
from egov.signatures.models import SigningCertificate
from egov.signatures.services import may_sign_with
from egov.signatures.signing import SignatureError

DSIG = "http://www.w3.org/2000/09/xmldsig#"
C14N = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"


@dataclass
class VerifiedXml:
    root: etree._Element  # what the signature covers, and nothing else
    common_name: str
    organization: str
    fingerprint: str


def placeholder() -> etree._Element:
    """Put this where the signature must go (e.g. in a message's header) before signing."""
    return etree.Element(f"{{{DSIG}}}Signature", Id="placeholder", nsmap={"ds": DSIG})


def sign(root: etree._Element, *, certificate: SigningCertificate, actor) -> bytes:
    """Signs ``root`` (enveloped, covering the whole document) with ``certificate``."""
    if not may_sign_with(actor, certificate):
        raise PermissionDenied
    if not certificate.usable:
        raise SignatureError(_("This certificate is revoked or not in force and cannot sign."))
    if certificate.key_storage != SigningCertificate.KeyStorage.PKCS12:
        raise SignatureError(
            _("XML messages are signed with a key file certificate; this one is on a token.")
        )
    key_der = keystore.unseal(certificate.encrypted_key, signing.key_context(certificate))
    key = serialization.load_der_private_key(key_der, password=None)
    algorithm = "ecdsa-sha256" if isinstance(key, ec.EllipticCurvePrivateKey) else "rsa-sha256"
    cert_pem = signing.asn1_certificate(certificate).dump()
    chain = [x509.load_der_x509_certificate(cert_pem)] + [
        x509.load_der_x509_certificate(c.dump()) for c in signing.chain_of(certificate)
    ]
    signer = XMLSigner(
        method=methods.enveloped,
        signature_algorithm=algorithm,
        digest_algorithm="sha256",
        c14n_algorithm=C14N,
    )
    pems = [c.public_bytes(serialization.Encoding.PEM).decode() for c in chain]
    signed = signer.sign(root, key=key, cert=pems)
    return etree.tostring(signed, xml_declaration=True, encoding="UTF-8")


def _certificates(root) -> list[x509.Certificate]:
    found = root.findall(f".//{{{DSIG}}}X509Certificate")
    certificates = []
    for element in found:
        text = "".join((element.text or "").split())
        certificates.append(x509.load_der_x509_certificate(base64.b64decode(text)))
    return certificates


def verify(data: bytes) -> VerifiedXml:
    """Raises :class:`SignatureError` (translated) unless ``data`` carries a valid signature by
    a certificate the platform trusts; returns the signed content."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise SignatureError(_("The message is not well-formed XML.")) from exc
    if root.find(f".//{{{DSIG}}}Signature") is None:
        raise SignatureError(_("The message carries no XML signature."))
    certificates = _certificates(root)
    if not certificates:
        raise SignatureError(_("The message's signature does not carry its certificate."))
    signer_certificate = certificates[0]
    try:
        result = XMLVerifier().verify(
            data,
            x509_cert=signer_certificate.public_bytes(serialization.Encoding.PEM).decode(),
            expect_config=SignatureConfiguration(
                require_x509=True,
                expect_references=1,
                signature_methods=frozenset(
                    {SignatureMethod.RSA_SHA256, SignatureMethod.ECDSA_SHA256}
                ),
            ),
        )
    except (InvalidSignature, InvalidInput) as exc:
        raise SignatureError(
            _("The message was changed after it was signed, or its signature is damaged.")
        ) from exc
    asn1 = asn1_x509.Certificate.load(signer_certificate.public_bytes(serialization.Encoding.DER))
    chain = [
        asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER))
        for c in certificates[1:]
    ]
    signing.check_certificate(asn1, chain)
    subject = asn1.subject.native
    return VerifiedXml(
        root=result.signed_xml,
        common_name=subject.get("common_name", ""),
        organization=subject.get("organization_name", ""),
        fingerprint=asn1.sha256.hex(),
    )
