import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Tenant } from '@showroom/auth';
import { APP_CONFIG, AppConfig } from '@showroom/core';
import { KnowledgeText } from '@showroom/rag';
import { findProgram } from '../local/local-programs';
import { Pronunciations } from './pronunciations';
import { buildVocabularyFiles, type VocabularyFiles } from './vocabulary-files';

/** Text read from the documents for the vocabulary (about 150 pages). */
const MAX_CHARS = 400_000;
/** How long a dealership's vocabulary is used before its knowledge fingerprint is checked again. */
const RECHECK_MS = 30_000;
const MAX_DEALERSHIPS = 500;

interface Entry {
  fingerprint: string;
  checkedAt: number;
  files: Promise<VocabularyFiles | undefined>;
}

/**
 * Each dealership's recogniser vocabulary, rebuilt when its searchable knowledge changes
 * (KnowledgeText's fingerprint). Undefined — the generic model — when VOICE_LOCAL_VOCABULARY
 * is off or the dealership has no searchable documents yet.
 */
@Injectable()
export class DealershipVocabulary {
  private readonly logger = new Logger(DealershipVocabulary.name);
  private readonly entries = new Map<string, Entry>();
  private readonly pronunciations = new Pronunciations(findProgram('espeak-ng'));

  constructor(
    private readonly knowledge: KnowledgeText,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async filesFor(tenant: Tenant): Promise<VocabularyFiles | undefined> {
    if (!this.config.voice.local.vocabulary) return undefined;
    const key = tenant.dealershipId;
    const entry = this.entries.get(key);
    if (entry && Date.now() - entry.checkedAt < RECHECK_MS) return entry.files;
    const fingerprint = await this.knowledge.fingerprint(tenant);
    if (entry && entry.fingerprint === fingerprint) {
      entry.checkedAt = Date.now();
      return entry.files;
    }
    const files = fingerprint.startsWith('0:') ? Promise.resolve(undefined) : this.build(tenant);
    this.entries.delete(key);
    this.entries.set(key, { fingerprint, checkedAt: Date.now(), files });
    if (this.entries.size > MAX_DEALERSHIPS) this.entries.delete(this.entries.keys().next().value!);
    return files;
  }

  private async build(tenant: Tenant): Promise<VocabularyFiles | undefined> {
    try {
      const texts = await this.knowledge.texts(tenant, MAX_CHARS);
      return await buildVocabularyFiles(texts, this.pronunciations);
    } catch (error) {
      // The generic model still works: a vocabulary failure must not fail the transcription.
      this.logger.warn(`vocabulary for dealership ${tenant.dealershipId} not built: ${String(error)}`);
      this.entries.delete(tenant.dealershipId);
      return undefined;
    }
  }
}
