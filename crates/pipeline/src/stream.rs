//! Web archives into a store, in chunks: a WARC is read record by record and every
//! [`Options::archive_chunk`] documents are one incremental run, so memory stays bounded whatever the
//! archive's size (the store holds what the chunks before made, as any later run sees it).

use ingest::{RawDocument, SourceFile, WarcDocuments};
use model::Corpus;
use store::Store;

use crate::{Analysis, Options, PipelineError, Progress, Report, RunReport};

/// The WARC archives among `files` (read in chunks), and the other files. JSONL files are
/// never archives (as `ingest::read_file` reads them), so only the others are sniffed.
pub(crate) fn split(files: Vec<SourceFile>) -> (Vec<SourceFile>, Vec<SourceFile>) {
    files
        .into_iter()
        .partition(|f| f.kind != model::DocKind::Jsonl && ingest::is_warc(&f.path))
}

/// The `others` in one run, then each archive in chunks; returns the store (or the changes
/// of all the runs, as [`Corpus::apply`] gathers them). `total` holds what collecting the
/// files found.
pub(crate) fn run(
    archives: Vec<SourceFile>,
    others: Vec<SourceFile>,
    mut total: RunReport,
    store: &mut Store,
    opts: &Options,
    progress: &dyn Progress,
) -> Result<Analysis, PipelineError> {
    let chunk_opts = Options {
        report: Report::Changes,
        ..opts.clone()
    };
    let mut changes = Corpus::default();
    let mut report = RunReport::default();
    let docs = crate::read_files(&others, opts, progress, &mut report);
    let mut one_run = |docs: Vec<RawDocument>, report: RunReport| {
        let ch = store.locked(|s| crate::with_store(docs, report, s, &chunk_opts, progress))?;
        add_report(&mut total, &ch.report);
        changes.apply(ch);
        Ok::<(), PipelineError>(())
    };
    one_run(docs, report)?;
    let mut notes = Vec::new();
    for archive in &archives {
        let mut reader = WarcDocuments::open(&archive.path, opts.max_bytes);
        loop {
            let (docs, errors) = next_chunk(&mut reader, opts.archive_chunk.max(1));
            if docs.is_empty() && errors.is_empty() {
                break;
            }
            let report = RunReport {
                skipped: errors.into_iter().map(crate::skipped).collect(),
                ..RunReport::default()
            };
            one_run(docs, report)?;
        }
        notes.extend(reader.skipped_note().map(crate::skipped));
    }
    total.skipped.extend(notes);
    match opts.report {
        Report::Changes => {
            changes.report = total;
            Ok(changes)
        }
        Report::Store => Ok(crate::load_store(store, total)?),
    }
}

/// Up to `chunk` documents of the archive, and the errors met on the way.
pub(crate) fn next_chunk(
    reader: &mut WarcDocuments,
    chunk: usize,
) -> (Vec<RawDocument>, Vec<ingest::IngestError>) {
    let mut docs = Vec::new();
    let mut errors = Vec::new();
    for item in reader.by_ref() {
        match item {
            Ok(d) => docs.push(d),
            Err(e) => errors.push(e),
        }
        if docs.len() >= chunk {
            break;
        }
    }
    (docs, errors)
}

/// Adds one run's counts to the total.
fn add_report(total: &mut RunReport, r: &RunReport) {
    total.read += r.read;
    total.skipped.extend(r.skipped.iter().cloned());
    total.already_stored += r.already_stored;
    total.new_documents += r.new_documents;
    total.new_articles += r.new_articles;
    total
        .empty_documents
        .extend(r.empty_documents.iter().cloned());
    total.dedup_index_bytes = total.dedup_index_bytes.max(r.dedup_index_bytes);
    total.threads_judged += r.threads_judged;
    total.threads_reused += r.threads_reused;
    total.articles_read += r.articles_read;
    total.readings_reused += r.readings_reused;
}
