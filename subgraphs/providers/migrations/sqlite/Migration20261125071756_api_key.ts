import { Migration } from '@mikro-orm/migrations';

export class Migration20261125071756_api_key extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`api_key\` (\`id\` text not null, \`provider_id\` text not null, \`label\` text not null, \`hash\` text not null, \`created_at\` datetime not null, \`revoked_at\` datetime null, constraint \`api_key_provider_id_foreign\` foreign key(\`provider_id\`) references \`provider\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`api_key_provider_id_index\` on \`api_key\` (\`provider_id\`);`);
    this.addSql(`create unique index \`api_key_hash_unique\` on \`api_key\` (\`hash\`);`);
  }

}
