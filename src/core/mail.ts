import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer';

/**
 * Outgoing email for any module (nodemailer). Off without SMTP_URL; tests hand in nodemailer's JSON or
 * stream transport with `setTransport`, so no test ever touches a network.
 */
export class Mail {
  private transport: Transporter | null;

  constructor(
    smtpUrl: string | undefined,
    readonly from: string,
    private readonly publicUrl: string | undefined,
  ) {
    this.transport = smtpUrl ? nodemailer.createTransport(smtpUrl) : null;
  }

  get enabled(): boolean {
    return this.transport !== null;
  }

  setTransport(transport: Transporter | null): void {
    this.transport = transport;
  }

  /** An absolute link when PUBLIC_URL is set (an email has no page to be relative to), else the path. */
  link(path: string): string {
    return this.publicUrl ? `${this.publicUrl.replace(/\/+$/, '')}${path}` : path;
  }

  /** Sends one message; false when email is off. */
  async send(message: Omit<SendMailOptions, 'from'>): Promise<boolean> {
    if (!this.transport) return false;
    await this.transport.sendMail({ from: this.from, ...message });
    return true;
  }
}
