import { Migration } from '@mikro-orm/migrations';

export class Migration20261203182934_idempotency_key extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`idempotency_key\` (\`scope\` text not null, \`key\` text not null, \`fingerprint\` text not null, \`claimed_at\` datetime not null, \`expires_at\` datetime not null, \`status\` integer null, \`content_type\` text null, \`body\` text null, primary key (\`scope\`, \`key\`));`);
    this.addSql(`create index \`idempotency_key_expires_at\` on \`idempotency_key\` (\`expires_at\`);`);

  }

}
