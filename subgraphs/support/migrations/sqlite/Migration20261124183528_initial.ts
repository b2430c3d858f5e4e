import { Migration } from '@mikro-orm/migrations';

export class Migration20261124183528_initial extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`support_category\` (\`id\` text not null, \`name\` text not null, \`content\` text not null, \`provided_by\` json not null, \`obligatory\` integer not null, primary key (\`id\`));`);

    this.addSql(`create table \`support_topic\` (\`id\` text not null, \`name\` text not null, \`category_id\` text not null, \`level\` text check (\`level\` in ('LEVEL_0', 'LEVEL_1')) null, \`service\` text check (\`service\` in ('TRAINING', 'USER_SUPPORT', 'TECHNICAL_SUPPORT')) null, \`position\` integer not null, constraint \`support_topic_category_id_foreign\` foreign key(\`category_id\`) references \`support_category\`(\`id\`) on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`support_topic_category_id_index\` on \`support_topic\` (\`category_id\`);`);
  }

}
