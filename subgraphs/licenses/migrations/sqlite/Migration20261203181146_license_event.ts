import { Migration } from '@mikro-orm/migrations';

export class Migration20261203181146_license_event extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`license_event\` (\`id\` text not null, \`type\` text not null, \`license_key\` text not null, \`provider_ids\` json not null, \`payload\` json not null, \`occurred_at\` datetime not null, \`relayed_at\` datetime null, primary key (\`id\`));`);
    this.addSql(`create index \`license_event_unrelayed\` on \`license_event\` (\`relayed_at\`, \`occurred_at\`);`);
  }

}
