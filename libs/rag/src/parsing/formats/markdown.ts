import { Lexer, type Token, type Tokens } from 'marked';
import { collectHtmlSections } from '../html-sections';
import type { ParsedDocument } from '../parsed-document';
import type { ResolvedParseLimits } from '../parse-limits';
import { SectionCollector } from '../section-collector';
import { formatTableRow } from '../table-rows';
import { decodeTextDocument } from './decode-text';

/**
 * Markdown through marked's lexer: headings set the heading path; each paragraph, top-level list
 * item (with its nested items), code block and table row becomes a section of plain text.
 */
export function parseMarkdown(bytes: Buffer, limits: ResolvedParseLimits): ParsedDocument {
  const collector = new SectionCollector(limits.maxExtractedChars);
  collectBlocks(new Lexer({ gfm: true }).lex(decodeTextDocument(bytes, 'Markdown')), collector);
  return collector.finish(null);
}

function collectBlocks(tokens: Token[], collector: SectionCollector): void {
  for (const token of tokens) {
    switch (token.type) {
      case 'heading':
        collector.heading((token as Tokens.Heading).depth, inlineText(token));
        break;
      case 'paragraph':
      case 'text':
        collector.block(inlineText(token));
        break;
      case 'list':
        for (const item of (token as Tokens.List).items) collector.block(listItemText(item, 0));
        break;
      case 'table':
        collectTable(token as Tokens.Table, collector);
        break;
      case 'code':
        collector.block((token as Tokens.Code).text);
        break;
      case 'blockquote':
        collectBlocks((token as Tokens.Blockquote).tokens, collector);
        break;
      case 'html':
        collectHtmlSections((token as Tokens.HTML).text, collector);
        break;
      default:
        // space, hr, def and the like carry no text.
        break;
    }
  }
}

function collectTable(table: Tokens.Table, collector: SectionCollector): void {
  const headers = table.header.map((cell) => inlineText(cell));
  if (table.rows.length === 0) collector.block(headers.join(' | '));
  for (const row of table.rows) collector.block(formatTableRow(headers, row.map((cell) => inlineText(cell))));
}

function listItemText(item: Tokens.ListItem, depth: number): string {
  const lines: string[] = [];
  const ownText: string[] = [];
  for (const token of item.tokens) {
    if (token.type === 'list') {
      for (const child of (token as Tokens.List).items) lines.push(listItemText(child, depth + 1));
    } else {
      ownText.push(inlineText(token));
    }
  }
  const marker = `${'  '.repeat(depth)}- `;
  return [`${marker}${ownText.join(' ').trim()}`, ...lines].join('\n');
}

/** The visible text of a token: markup dropped, link targets kept after their text. */
function inlineText(token: Token | Tokens.TableCell): string {
  if ('tokens' in token && token.tokens && token.tokens.length > 0) {
    const text = token.tokens.map((child) => inlineText(child)).join('');
    if ('type' in token && token.type === 'link' && token.href && token.href !== text) return `${text} (${token.href})`;
    return text;
  }
  if ('type' in token) {
    if (token.type === 'br') return '\n';
    if (token.type === 'image') return (token as Tokens.Image).text;
    if (token.type === 'html') return '';
  }
  return 'text' in token && typeof token.text === 'string' ? token.text : '';
}
