"""Chinese strings: playground."""

STRINGS: dict[str, str] = {
    "Class probabilities: {shares}.": "类别概率：{shares}。",
    "Its Transformer part knows {deep} of this text's words ([UNK] in the token chart and the "
    "attention view), so the answer rests on its n-gram bag, which knows {bag} of them.": (
        "它的 Transformer 部分只认识这段文本 {deep} 的词（在词元图和注意力视图里显示为 [UNK]），"
        "因此答案主要依靠它的 n-gram 词袋，词袋认识其中的 {bag}。"
    ),
    # page
    "Playground": "试验场",
    "Run {run} has no saved model yet ({state}).": "运行 {run} 还没有保存的模型（{state}）。",
    "The model of run {run} cannot be loaded: {error}": "无法加载运行 {run} 的模型：{error}",
    "Run **{run}** on **{dataset}**": "运行 **{run}**，数据集 **{dataset}**",
    "Type a sentence": "输入句子",
    "Classify a file": "分类文件",
    # single text
    "Text (Chinese or English)": "文本（中文或英文）",
    "The answer updates as you type (after a short pause). Up to {n:,} characters.": (
        "输入时结果会自动更新（稍作停顿后）。最多 {n:,} 个字符。"
    ),
    "Link to this sentence": "这句话的链接",
    "Opens the Playground on this sentence, with this run: copy it for a demo.": (
        "用这个运行打开试验场并填好这句话：复制它用于演示。"
    ),
    "Cut at {n:,} characters, as training and the command line cut a text.": (
        "已截断为 {n:,} 个字符，与训练和命令行截断文本的方式相同。"
    ),
    "Cut at {n:,} of its {typed:,} characters, as training and the command line cut a text.": (
        "已从 {typed:,} 个字符截断为 {n:,} 个，与训练和命令行截断文本的方式相同。"
    ),
    "Type something to see what the model makes of it.": "输入一些文本，看看模型如何理解它。",
    "This is a pretraining run: put `[MASK]` where a token should go.": (
        "这是一个预训练运行：请在需要填入词元的位置写上 `[MASK]`。"
    ),
    "[MASK] number {i}": "第 {i} 个 [MASK]",
    "token": "词元",
    "probability": "概率",
    "answered in {ms:.0f} ms": "用时 {ms:.0f} 毫秒",
    "answered in {ms:.0f} ms (prediction and {variants} leave-one-out variant(s))": (
        "用时 {ms:.0f} 毫秒（一次预测，外加 {variants} 次各去掉一段文字后的预测）"
    ),
    "A long text: tokens were left out {span} at a time to keep the answer quick, "
    "so neighbouring tokens share a bar's value.": (
        "文本较长：为保证响应速度，每次同时去掉 {span} 个词元，因此相邻词元共用同一个柱值。"
    ),
    "Layer": "层",
    "layer {n}": "第 {n} 层",
    "Head": "注意力头",
    "head {n}": "第 {n} 个头",
    "the nearest texts and the map": "最相似的文本和嵌入图",
    # nearest texts and the map
    "Nearest training texts (search by meaning)": "最相似的训练文本（按语义搜索）",
    "text": "文本",
    "label": "标签",
    "similarity": "相似度",
    "Where it lands on the map": "在嵌入图中的位置",
    "Your text among the dataset (★)": "你的文本在数据集中的位置（★）",
    "Your text among the held-out texts (★)": "你的文本在留出文本中的位置（★）",
    "The map shows {n:,} held-out texts (validation and test: texts the model never trained on). The star "
    "sits at the similarity-weighted centre of its 5 nearest mapped texts.": (
        "图中是 {n:,} 条留出文本（验证集和测试集：模型从未训练过的文本）。星标位于图中与它最相似的 5 条文本按相似度加权的中心。"
    ),
    "{title} · PCA while UMAP is computed": "{title} · UMAP 计算期间先显示 PCA",
    "{title} · PCA": "{title} · PCA",
    "UMAP could not be computed ({error}); the Embeddings page can try again.": (
        "无法计算 UMAP（{error}）；可在“嵌入”页面重试。"
    ),
    "UMAP is being computed in the background": "正在后台计算 UMAP",
    "The star sits at the similarity-weighted centre of its 5 nearest mapped texts.": (
        "星标位于图中与它最相似的 5 条文本按相似度加权的中心。"
    ),
    # a whole file
    "A file of texts: one per line (.txt), or a table with a text column (CSV, TSV, JSON, JSONL, Excel, Parquet)": (
        "文本文件：每行一条（.txt），或带文本列的表格（CSV、TSV、JSON、JSONL、Excel、Parquet）"
    ),
    "Text column": "文本列",
    "Text columns": "文本列",
    "Pick the column that holds the texts.": "请选择存放文本的列。",
    "Several are joined into one text, in the order picked, as at import.": "选多个时按所选顺序合并成一条文本，与导入时相同。",
    "Sheet": "工作表",
    "Leaving out any one token does not change the answer: none of them carries weight for this model.": (
        "去掉任何一个词元都不会改变答案：对这个模型来说，它们都不起作用。"
    ),
    "The model is all but certain of this answer, so leaving out any one token does not move it: "
    "no token stands out on its own.": "模型对这个答案几乎完全确定，去掉任何一个词元都动摇不了它：没有哪个词元单独起决定作用。",
    "Keep the file's other columns (ids, expected labels) beside the predictions": "在预测结果旁保留文件的其他列（编号、期望标签）",
    "Classify {n:,} texts": "分类 {n:,} 条文本",
    "Classifying in the background": "正在后台分类",
    "The batch could not be classified: {error}": "无法完成批量分类：{error}",
    "The last classification used the weights this run had before it was trained again: "
    "classify the file again for this model's answers.": "上一次分类用的是该运行重新训练之前的权重：请重新分类该文件，以得到当前模型的结果。",
    "The results of the last classification are gone: a run keeps its {n} newest "
    "classifications, and newer ones were made since (on a shared server, perhaps by someone "
    "else). Classify the file again to get them back.": (
        "上一次分类的结果已不在：每个运行只保留最新的 {n} 次批量分类，之后又有新的分类（在共享服务器上，可能是别人做的）。"
        "请重新分类该文件以取回结果。"
    ),
    "Classified {rows:,} texts of {file} in {seconds:.1f} s.": "已分类 {file} 中的 {rows:,} 条文本，用时 {seconds:.1f} 秒。",
    "the file": "该文件",
    "Download predictions (CSV)": "下载预测结果（CSV）",
    "Unsure: {first} ({p1}) or {second} ({p2}). The model only knows the classes {classes}; a text about something else still gets one of them.": (
        "不确定：{first}（{p1}）还是 {second}（{p2}）。模型只认识这些类别：{classes}；与它们都无关的文本也会被归入其中之一。"
    ),
    "Unsure: {first} ({p1}) or {second} ({p2}). The model only knows its {n:,} classes; a text about something else still gets one of them.": (
        "不确定：{first}（{p1}）还是 {second}（{p2}）。模型只认识它的 {n:,} 个类别；与它们都无关的文本也会被归入其中之一。"
    ),
    "None of this text's words are in the model's vocabulary (it learned from other texts, perhaps in "
    "another language), so the answer below says nothing about this text.": (
        "这段文本的词都不在模型的词表里（模型学的是别的文本，可能是另一种语言），所以下面的答案对这段文本没有意义。"
    ),
    "The model knows {share} of this text's words; the others ([UNK] in the token chart, or cut into "
    "single letters) were not in {where} and count for little.": (
        "模型认识这段文本中 {share} 的词；其余的词（词元图中的 [UNK]，或被拆成单个字母的词）没有出现在{where}里，"
        "对答案作用很小。"
    ),
    "The model knows {share} of this text's words; the others were not in {where}, and only the pieces of their "
    "spelling it met count.": "模型认识这段文本中 {share} 的词；其余的词没有出现在{where}里，只有它见过的拼写片段起作用。",
    "The model knows {share} of this text's words; the others were not in {where} and count for nothing.": (
        "模型认识这段文本中 {share} 的词；其余的词没有出现在{where}里，对答案不起作用。"
    ),
    "its training texts": "它的训练文本",
    "the texts its vocabulary was built from (those of the run it was fine-tuned from)": (
        "构建它词表的文本（即它微调前那次运行的文本）"
    ),
    "Only {share} of this text's words are in the model's vocabulary; the answer rests on those alone.": (
        "这段文本只有 {share} 的词在模型的词表里；答案只依据这些词。"
    ),
    "This text has no words the model reads (only punctuation, symbols or emoji), so the answer below "
    "says nothing about it.": "这段文本里没有模型能读的词（只有标点、符号或表情），所以下面的回答对它没有意义。",
    "This text has no words, only punctuation, symbols or emoji. The answer below rests on those marks "
    "alone (the model met them in its training texts), not on anything the text says.": (
        "这段文本里没有词，只有标点、符号或表情。下面的回答只依据这些符号（模型在训练文本中见过它们），"
        "而不是文本说了什么。"
    ),
    "No nearest texts and no place on the map for a text the model cannot read.": (
        "模型读不懂的文本，不显示最相近的文本，也不在地图上标出位置。"
    ),
    "Run {run} is a pretraining run: it fills in masked words but has no classes to give a file's "
    "texts. Fine-tune it on a labelled dataset first (Train page, 'Fine-tune a saved encoder'), then classify "
    "the file with that run.": (
        "运行 {run} 是预训练运行：它能补全被掩码的词，但没有类别可以分给文件中的文本。请先在有标签的数据集上微调它"
        "（训练页，“微调已保存的编码器”），再用微调后的运行来分类这个文件。"
    ),
    "The column {column} holds numbers, not text: the model would give every row much the same "
    "answer. Choose the column that holds the texts.": (
        "列 {column} 存放的是数字而不是文本：模型会给每一行差不多相同的回答。请选择存放文本的那一列。"
    ),
    "The file's column {column} holds this model's classes: the predictions agree with it on "
    "{agree:,} of {rows:,} rows ({share}).": "文件的 {column} 列用的是该模型的类别：预测与它在 {rows:,} 行中有 {agree:,} 行一致（{share}）。",
    "{n:,} blank row(s) were left unclassified: their prediction is empty, and they keep "
    "their place in the download.": "{n:,} 行是空白的，未做分类：它们的预测为空，在下载的文件中保留原来的位置。",
    "The first {shown:,} of {rows:,} rows; the download has them all.": (
        "这里显示 {rows:,} 行中的前 {shown:,} 行；下载的文件包含全部行。"
    ),
    # the batch preview's columns
    "p({label})": "“{label}”的概率",
    "{column} (the model's)": "模型的{column}",
    "Texts longer than {limit:,} characters, cut to that length as for training: {n:,} (the "
    "download's text column holds each text as the model was given it).": (
        "长于 {limit:,} 个字符、已按训练时的做法截断的文本：{n:,} 条（下载文件的文本列是交给模型的文本）。"
    ),
    "This model reads the first {max_len:,} tokens of a text: {share:.0%} of these texts go on past them, and the "
    "rest of each plays no part in its prediction.": (
        "这个模型只读一条文本的前 {max_len:,} 个词元：这些文本中有 {share:.0%} 超出了这个长度，超出部分不参与预测。"
    ),
    "Rows with no words the model reads (only emoji, symbols or punctuation): {n:,}. Their "
    "prediction is a guess from nothing, however confident it looks.": (
        "没有模型能读的词的行（只有表情符号、符号或标点）：{n:,} 行。它们的预测毫无依据，无论看起来多么自信。"
    ),
    "No token chart: the model knows none of this text's tokens, so none of them can tell it anything.": (
        "不显示词元图：这段文本的词元，模型一个也不认识，它们无法提供任何信息。"
    ),
    "Only {share} of these texts' words are in the model's vocabulary (it learned from other "
    "texts, perhaps in another language), so its predictions rest on those alone, however "
    "confident they look.": (
        "这些文本中只有 {share} 的词在模型的词表里（它是从别的文本、也许是另一种语言的文本学来的），"
        "所以它的预测只依据这些词，不管看起来多有把握。"
    ),
    "None of these texts' words are in the model's vocabulary (it learned from other texts, "
    "perhaps in another language), so its predictions say nothing about them, however confident "
    "they look.": (
        "这些文本的词都不在模型的词表里（它是从别的文本、也许是另一种语言的文本学来的），"
        "所以它的预测对这些文本没有意义，不管看起来多有把握。"
    ),
    "The model reads only its first {n:,} tokens: the text from “{rest}” on plays no part in the answer.": (
        "模型只读取前 {n:,} 个词元：从“{rest}”起的文本不影响结果。"
    ),
    "The token chart covers the first {n:,} tokens; the text from “{rest}” on counts in the "
    "answer but has no bars.": "词元图只涵盖前 {n:,} 个词元；从“{rest}”开始的文本也计入了答案，但没有对应的条形。",
    "Reading the file…": "正在读取文件…",
    "Cosine similarity once what every text shares is taken out (search's space): 1 is the same direction as "
    "your text; a typical training text scores {score:.2f}.": (
        "去掉所有文本共有的成分之后的余弦相似度（与搜索相同的空间）：1 表示与你的文本方向相同；一条典型的训练文本得分为 {score:.2f}。"
    ),
    "An encoder trained to classify puts the texts of a class close together, so its nearest texts share a class "
    "more than they share a topic.": (
        "为分类而训练的编码器会把同一类别的文本聚在一起，所以与它最近的文本往往是同一类别，而不一定是同一话题。"
    ),
    "Its letters are full-width (as a Chinese input method's full-width mode types them); the model knows more of "
    "these words in plain letters: type them so.": "它的字母是全角的（中文输入法的全角模式会这样输入）；模型认得更多这些词的半角写法：请用半角输入。",
}
