import { Migration } from '@mikro-orm/migrations';

export class Migration20261207191149_idempotency_record extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`idempotency_record\` (\`scope\` text not null, \`key_hash\` text not null, \`fingerprint\` text not null, \`state\` text not null, \`claim\` text not null, \`claimed_at\` datetime not null, \`expires_at\` datetime not null, \`answer\` text null, primary key (\`scope\`, \`key_hash\`));`);
    this.addSql(`create index \`idempotency_record_expires_at\` on \`idempotency_record\` (\`expires_at\`);`);

    this.addSql(`drop table if exists \`idempotency_key\`;`);
  }

}
