// IngressCertificate: the ACM certificate of every host of an apps domain (*.<domain> plus the
// apex), on its own so that a stack can hand it to the Ingresses and to other endpoints of the
// same domain (the OpenSearch custom endpoint) without ordering them against each other.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { parseArgs } from "../common/schema";
import { certificateNames } from "./plan";
import { ingressCertificateSchema } from "./schema";

/** Where the certificate comes from. */
export interface IngressCertificateSourceArgs {
    /** "dns" (DNS-validated in a public parent zone), "private-ca" (AWS Private CA, USD 400/month per CA) or "existing". */
    mode: string;
    /** mode dns: the public hosted zone that holds the validation record. */
    publicZoneId?: string;
    /** mode dns: that zone's name; the apps domain must lie under it. */
    publicZoneName?: string;
    /** mode private-ca: the GENERAL_PURPOSE Private CA that issues the certificate. */
    certificateAuthorityArn?: string;
    /** mode existing: an issued ACM certificate covering *.<domain>. */
    certificateArn?: pulumi.Input<string>;
}

/** Args of IngressCertificate (rules: components/app-ingress/schema.ts ingressCertificateSchema). */
export interface IngressCertificateArgs {
    /** Tags of the certificate. */
    tags?: Record<string, string>;
    /** The apps domain: the certificate names *.<domain> and <domain>. */
    domain: string;
    /** Where the certificate comes from. */
    certificate: IngressCertificateSourceArgs;
}

/**
 * The certificate of *.<domain> (and <domain>): DNS-validated in a public parent zone (the ARN is
 * known only once ACM has issued it), issued by an AWS Private CA, or an existing one passed through.
 */
export class IngressCertificate extends pulumi.ComponentResource {
    /** ARN of the issued certificate (after DNS validation in mode dns). */
    public readonly certificateArn: pulumi.Output<string>;

    constructor(name: string, args: IngressCertificateArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cloud-cnc:index:IngressCertificate", name, {}, opts);
        const s = parseArgs(`IngressCertificate ${name}`, ingressCertificateSchema, args);
        const parent = { parent: this };
        const names = certificateNames(s.domain);
        if (s.certificate.mode === "dns") {
            const cert = new aws.acm.Certificate(`${name}-certificate`, { ...names, validationMethod: "DNS", tags: { ...s.tags } }, parent);
            // *.<domain> and <domain> share one validation CNAME: one record, created outside apply.
            const dvo = cert.domainValidationOptions.apply((o) => o[0]);
            const record = new aws.route53.Record(
                `${name}-certificate-validation`,
                { zoneId: s.certificate.publicZoneId!, name: dvo.resourceRecordName, type: dvo.resourceRecordType, records: [dvo.resourceRecordValue], ttl: 60, allowOverwrite: true },
                parent,
            );
            const validation = new aws.acm.CertificateValidation(`${name}-certificate-validation`, { certificateArn: cert.arn, validationRecordFqdns: [record.fqdn] }, parent);
            this.certificateArn = validation.certificateArn;
        } else if (s.certificate.mode === "private-ca") {
            const cert = new aws.acm.Certificate(`${name}-certificate`, { ...names, certificateAuthorityArn: s.certificate.certificateAuthorityArn!, tags: { ...s.tags } }, parent);
            this.certificateArn = cert.arn;
        } else {
            this.certificateArn = pulumi.output(args.certificate.certificateArn!);
        }
        this.registerOutputs({ certificateArn: this.certificateArn });
    }
}
