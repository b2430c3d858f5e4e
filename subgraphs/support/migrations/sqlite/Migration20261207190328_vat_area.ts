import { Migration } from '@mikro-orm/migrations';

export class Migration20261207190328_vat_area extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`vat_area_membership\` (\`country\` text not null, \`member_from\` text not null, \`area\` text not null, \`member_until\` text null, primary key (\`country\`, \`member_from\`));`);

    // vat_rate.rate becomes nullable (no VAT levied). The table is reference data the subgraph
    // rewrites from seed/vat-rates.json on every start, so it is recreated rather than copied.
    this.addSql(`drop table \`vat_rate\`;`);
    this.addSql(`create table \`vat_rate\` (\`country\` text not null, \`valid_from\` text not null, \`rate\` text null, primary key (\`country\`, \`valid_from\`));`);
  }

}
